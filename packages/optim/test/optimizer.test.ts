import { describe, expect, it, vi } from 'vitest';
import '@descent/autograd';
import { isGradEnabled, noGrad, tensor, type Tensor } from '@descent/tensor';
import { Adagrad, Adam, AdamW, Optimizer, RMSprop, SGD } from '../src/index.js';

function param(values: number[]): Tensor {
  return tensor(values, { dtype: 'float32', requiresGrad: true });
}

describe('Optimizer construction', () => {
  it('fills each group from the defaults, keeping per-group overrides', () => {
    const w = param([1, 2]);
    const b = param([3]);
    const optimizer = new SGD([{ params: [w] }, { params: b, lr: 0.5, nesterov: true }], { lr: 0.1, momentum: 0.9 });
    expect(optimizer.paramGroups).toHaveLength(2);
    expect(optimizer.paramGroups[0]).toEqual({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [w] });
    expect(optimizer.paramGroups[1].lr).toBe(0.5);
    expect(optimizer.paramGroups[1].nesterov).toBe(true);
    expect(optimizer.paramGroups[1].params[0]).toBe(b);
    expect(optimizer.defaults).toEqual({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
  });

  it("uses PyTorch's defaults", () => {
    const w = param([1]);
    expect(new Adam([w]).paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(new AdamW([w]).paramGroups[0]).toMatchObject({ lr: 1e-3, weightDecay: 1e-2 });
    expect(new RMSprop([w]).paramGroups[0]).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(new Adagrad([w]).paramGroups[0]).toMatchObject({ lr: 1e-2, lrDecay: 0, eps: 1e-10, initialAccumulatorValue: 0 });
  });

  it('accepts any iterable of tensors, such as a generator', () => {
    const w = param([1]);
    const b = param([2]);
    function* parameters(): Generator<Tensor> {
      yield w;
      yield b;
    }
    expect(new SGD(parameters(), { lr: 0.1 }).paramGroups[0].params).toEqual([w, b]);
  });

  it('adds parameter groups later', () => {
    const w = param([1]);
    const b = param([2]);
    const optimizer = new Adam([w], { lr: 0.01 });
    optimizer.addParamGroup({ params: [b], lr: 0.1 });
    expect(optimizer.paramGroups[1]).toMatchObject({ lr: 0.1, betas: [0.9, 0.999], params: [b] });
    expect(() => optimizer.addParamGroup({ params: [w] })).toThrow('some parameters appear in more than one parameter group');
  });

  it('rejects bad params with clear errors', () => {
    const w = param([1]);
    expect(() => new SGD(w as unknown as Tensor[], { lr: 0.1 })).toThrow(/iterable of Tensors or dicts, but got a Tensor/);
    expect(() => new SGD([], { lr: 0.1 })).toThrow('optimizer got an empty parameter list');
    expect(() => new SGD([w, 3 as unknown as Tensor], { lr: 0.1 })).toThrow('optimizer can only optimize Tensors, but one of the params is number');
    expect(() => new SGD([w.mul(2)], { lr: 0.1 })).toThrow("can't optimize a non-leaf Tensor");
    expect(() => new SGD({ params: new Set([w]) } as never, { lr: 0.1 })).toThrow(/iterable of Tensors or dicts/);
    expect(() => new SGD([{ params: new Set([w]) as unknown as Tensor[] }], { lr: 0.1 })).toThrow(/Please use a list instead/);
  });

  it('warns about duplicate parameters in a group', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const w = param([1]);
    new SGD([w, w], { lr: 0.1 });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('duplicate parameters'));
    warn.mockRestore();
  });

  it('requires an lr for SGD and checks hyperparameters', () => {
    const w = param([1]);
    expect(() => new SGD([w])).toThrow("parameter group didn't specify a value of required optimization parameter lr");
    expect(new SGD([{ params: [w], lr: 0.3 }]).paramGroups[0].lr).toBe(0.3);
    expect(() => new SGD([w], { lr: -1 })).toThrow('Invalid learning rate: -1');
    expect(() => new SGD([w], { lr: 0.1, momentum: -0.5 })).toThrow('Invalid momentum value: -0.5');
    expect(() => new SGD([w], { lr: 0.1, nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new Adam([w], { betas: [0.9, 1] })).toThrow('Invalid beta parameter at index 1: 1');
    expect(() => new Adam([w], { eps: -1 })).toThrow('Invalid epsilon value: -1');
    expect(() => new AdamW([w], { weightDecay: -0.1 })).toThrow('Invalid weight_decay value: -0.1');
    expect(() => new RMSprop([w], { alpha: -1 })).toThrow('Invalid alpha value: -1');
    expect(() => new Adagrad([w], { lrDecay: -1 })).toThrow('Invalid lr_decay value: -1');
  });
});

describe('zeroGrad', () => {
  it('zeroes gradients in place by default, as PyTorch 1.13', () => {
    const w = param([1, 2]);
    const optimizer = new SGD([w], { lr: 0.1 });
    w.mul(w).sum().backward();
    const grad = w.grad!;
    optimizer.zeroGrad();
    expect(w.grad).toBe(grad);
    expect(Array.from(grad.dataSync() as Float32Array)).toEqual([0, 0]);
  });

  it('sets gradients to null with setToNone', () => {
    const w = param([1, 2]);
    const optimizer = new SGD([w], { lr: 0.1 });
    w.sum().backward();
    optimizer.zeroGrad({ setToNone: true });
    expect(w.grad).toBeNull();
    optimizer.zeroGrad(); // no gradient: nothing to do
    expect(w.grad).toBeNull();
  });
});

describe('step', () => {
  it('updates parameters in place, keeping their identity', () => {
    const w = param([1, 2]);
    const optimizer = new SGD([w], { lr: 0.5 });
    w.mul(w).sum().backward(); // grad 2w
    optimizer.step();
    expect(Array.from(w.dataSync() as Float32Array)).toEqual([0, 0]);
    expect(optimizer.paramGroups[0].params[0]).toBe(w);
    expect(w.requiresGrad).toBe(true);
    expect(w.isLeaf).toBe(true);
  });

  it('runs the closure with gradients enabled and returns its loss', () => {
    const w = param([3]);
    const optimizer = new SGD([w], { lr: 0.25 });
    const seen: boolean[] = [];
    const loss = noGrad(() =>
      optimizer.step(() => {
        seen.push(isGradEnabled());
        optimizer.zeroGrad();
        const l = w.mul(w).sum();
        l.backward();
        return l;
      }),
    );
    expect(seen).toEqual([true]);
    expect(loss!.item()).toBe(9);
    expect(w.item()).toBe(1.5); // 3 - 0.25 * 6
    expect(optimizer.step()).toBeNull();
  });

  it('skips parameters without a gradient, leaving them without state', () => {
    const w = param([1]);
    const b = param([1]);
    const optimizer = new Adam([w, b], { lr: 0.1 });
    w.sum().backward();
    optimizer.step();
    expect(optimizer.state.has(w)).toBe(true);
    expect(optimizer.state.has(b)).toBe(false);
    expect(b.item()).toBe(1);
  });

  it('keeps PyTorch state layouts', () => {
    const w = param([1, 2]);
    const sgd = new SGD([w], { lr: 0.1 });
    w.grad = tensor([1, 1], { dtype: 'float32' });
    sgd.step();
    expect(sgd.state.get(w)).toEqual({ momentumBuffer: null });

    const adagrad = new Adagrad([w], { initialAccumulatorValue: 0.5 });
    const state = adagrad.state.get(w)!; // created up front, as PyTorch's Adagrad
    expect(state.step.item()).toBe(0);
    expect(Array.from(state.sum.dataSync() as Float32Array)).toEqual([0.5, 0.5]);

    const rmsprop = new RMSprop([w], { momentum: 0.9, centered: true });
    rmsprop.step();
    rmsprop.step();
    expect(Object.keys(rmsprop.state.get(w)!)).toEqual(['step', 'squareAvg', 'momentumBuffer', 'gradAvg']);
    expect(rmsprop.state.get(w)!.step).toBe(2);
  });

  it('a bare Optimizer explains how to implement step', () => {
    const optimizer = new Optimizer([param([1])], { lr: 0.1 });
    expect(() => optimizer.step()).toThrow('Optimizer.step() is not implemented: override step() or stepGroup() in your optimizer');
  });

  it('a subclass implements stepGroup and gets noGrad, closures and state handling', () => {
    class SignDescent extends Optimizer<{ lr: number }> {
      constructor(params: Iterable<Tensor>, lr: number) {
        super(params, { lr });
      }
      protected override stepGroup(group: { lr: number; params: Tensor[] }): void {
        for (const p of group.params) if (p.grad) p.sub_(p.grad.sign().mul(group.lr));
      }
    }
    const w = param([1, -1]);
    const optimizer = new SignDescent([w], 0.5);
    w.mul(w).sum().backward();
    optimizer.step();
    expect(Array.from(w.dataSync() as Float32Array)).toEqual([0.5, -0.5]);
  });
});

describe('toString', () => {
  it('prints like PyTorch', () => {
    const optimizer = new Adam([param([1])], { lr: 0.05 });
    expect(String(optimizer)).toBe(
      'Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n    differentiable: False\n' +
        '    eps: 1e-08\n    foreach: None\n    fused: False\n    lr: 0.05\n    maximize: False\n    weight_decay: 0\n)',
    );
  });
});
