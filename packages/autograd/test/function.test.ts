// torch.autograd.Function against PyTorch 1.13: each Function below is the one of the same name in
// fixtures/gen_function.py, which wrote fixtures/function.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Function, grad, type FunctionCtx } from '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';

interface Fx {
  shape: number[];
  data: number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture's shape is the generator's
const fx: Record<string, any> = JSON.parse(readFileSync(new URL('./fixtures/function.json', import.meta.url), 'utf8')).cases;

const X = [0.5, -1.25, 2.0];
const W = [0.3, -0.7, 1.1];
const A = [[0.5, -1.0, 1.5], [2.0, 0.25, -0.75]];
const B = [0.2, -0.4, 0.6];
const leaf = (data: number[] | number[][]) => torch.tensor(data, { dtype: 'float32', requiresGrad: true });
const f32 = (data: number[] | number[][]) => torch.tensor(data, { dtype: 'float32' });

function expectClose(actual: Tensor | null, expected: Fx): void {
  expect(actual).not.toBeNull();
  expect(actual!.shape).toEqual(expected.shape);
  const got = actual!.dataSync() as Float32Array; // outputs and grads of float32 inputs
  expected.data.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
}

/** PyTorch's messages, as Descent words them: no anomaly-mode hint, JavaScript names for None, Variable, retain_graph. */
const inJs = (message: string) =>
  message.split(' Hint:')[0].replace('None', 'null').replace('Variable', 'Tensor').replace('retain_graph=True', 'retainGraph: true');

class Cube extends Function {
  static forward(ctx: FunctionCtx, x: Tensor) {
    ctx.saveForBackward(x);
    return x.pow(3);
  }
  static backward(ctx: FunctionCtx, gradOutput: Tensor) {
    const [x] = ctx.savedTensors;
    return gradOutput.mul(x.pow(2).mul(3));
  }
}

class MulSum extends Function {
  static forward(ctx: FunctionCtx, a: Tensor, b: Tensor): [Tensor, Tensor] {
    ctx.saveForBackward(a, b);
    return [a.mul(b), a.add(b).sum()];
  }
  static backward(ctx: FunctionCtx, gProd: Tensor, gSum: Tensor) {
    const [a, b] = ctx.savedTensors;
    const gradA = ctx.needsInputGrad[0] ? gProd.mul(b).add(gSum) : null;
    const gradB = ctx.needsInputGrad[1] ? gProd.mul(a).add(gSum) : null; // [2, 3]: summed back to b's [3]
    return [gradA, gradB];
  }
}

class Scale extends Function {
  static forward(ctx: FunctionCtx, x: Tensor, factor: number, mode: 'mul' | 'div') {
    ctx.factor = factor;
    ctx.mode = mode;
    return mode === 'mul' ? x.mul(factor) : x.div(factor);
  }
  static backward(ctx: FunctionCtx, g: Tensor) {
    return [ctx.mode === 'mul' ? g.mul(ctx.factor) : g.div(ctx.factor), null, null];
  }
}

const log: unknown[] = [];
class Needs extends Function {
  static forward(ctx: FunctionCtx, x: Tensor, k: number, y: Tensor) {
    log.push([...ctx.needsInputGrad], torch.isGradEnabled());
    ctx.saveForBackward(x, y);
    return x.mul(y).mul(k);
  }
  static backward(ctx: FunctionCtx, g: Tensor) {
    const [x, y] = ctx.savedTensors;
    log.push(torch.isGradEnabled());
    return [ctx.needsInputGrad[0] ? g.mul(y).mul(2) : null, null, ctx.needsInputGrad[2] ? g.mul(x).mul(2) : null];
  }
}

class MulInPlace extends Function {
  static forward(ctx: FunctionCtx, x: Tensor) {
    x.mul_(2);
    ctx.markDirty(x);
    return x;
  }
  static backward(_ctx: FunctionCtx, g: Tensor) {
    return g.mul(2);
  }
}

const seen: Tensor[][] = [];
class SortValues extends Function {
  static forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    // Sorting by hand for four values: the order as indices, as float so only the mark makes them non-differentiable.
    const data = Array.from(x.dataSync() as Float32Array);
    const order = data.map((_, i) => i).sort((i, j) => data[i] - data[j]);
    const indices = f32(order);
    ctx.markNonDifferentiable(indices);
    ctx.saveForBackward(indices);
    return [x.gather(0, torch.tensor(order)), indices];
  }
  static backward(ctx: FunctionCtx, gValues: Tensor, gIndices: Tensor) {
    seen.push([gValues, gIndices]);
    const [indices] = ctx.savedTensors;
    return torch.scatterAddZeros(gValues.shape, 0, indices.long(), gValues);
  }
}

class Twice extends Function {
  static forward(_ctx: FunctionCtx, x: Tensor) {
    return x.mul(2);
  }
}

describe('torch.autograd.Function (PyTorch 1.13 semantics)', () => {
  it('Cube: forward, grad_fn CubeBackward, backward from saved tensors', () => {
    const c = fx.cube;
    const x = leaf(X);
    const y = Cube.apply(x);
    expectClose(y, c.y);
    expect(y.gradFn?.name()).toBe(c.grad_fn);
    expect(String(y)).toBe(c.repr);
    y.mul(f32(W)).sum().backward();
    expectClose(x.grad, c.x_grad);
  });

  it('several inputs and outputs; an output without a gradient reaches backward as zeros', () => {
    const c = fx.multi;
    let [a, b] = [leaf(A), leaf(B)];
    let [prod, total] = MulSum.apply(a, b);
    expectClose(prod, c.prod);
    expectClose(total, c.sum);
    expect([prod.gradFn?.name(), total.gradFn?.name()]).toEqual(c.grad_fn);
    prod.mul(f32(W)).sum().add(total.mul(3)).backward();
    expectClose(a.grad, c.both.a_grad);
    expectClose(b.grad, c.both.b_grad);

    [a, b] = [leaf(A), leaf(B)];
    [prod, total] = MulSum.apply(a, b);
    prod.mul(f32(W)).sum().backward();
    expectClose(a.grad, c.first_only.a_grad);
    expectClose(b.grad, c.first_only.b_grad);

    a = leaf(A);
    const constant = f32(B);
    [prod, total] = MulSum.apply(a, constant);
    total.backward();
    expectClose(a.grad, c.b_constant.a_grad);
    expect(constant.grad).toBeNull();
  });

  it('non-tensor arguments: kept on ctx, their gradients are null', () => {
    const c = fx.non_tensor_args;
    const x = leaf(X);
    const z = Scale.apply(Scale.apply(x, 2.5, 'mul'), 4, 'div');
    expectClose(z, c.z);
    z.mul(f32(W)).sum().backward();
    expectClose(x.grad, c.x_grad);
  });

  it('needsInputGrad per argument; forward and backward run with grad mode off', () => {
    const c = fx.needs_input_grad;
    log.length = 0;
    const x = leaf(X);
    const out = Needs.apply(x, 2, f32(W));
    expectClose(out, c.out);
    out.sum().backward();
    const noGradOut = torch.noGrad(() => Needs.apply(x, 2, f32(W)));
    expect(log).toEqual(c.log);
    expectClose(x.grad, c.x_grad);
    expect(noGradOut.requiresGrad).toBe(c.requires_grad_no_grad_mode);
  });

  it('markDirty: the input modified in place is returned, its history becomes the node (CopySlices for a view)', () => {
    const c = fx.dirty;
    let x = leaf(X);
    const h = x.mul(1.5);
    const r = MulInPlace.apply(h);
    expect(r === h).toBe(c.same_object);
    expect(h.gradFn?.name()).toBe(c.grad_fn);
    expectClose(h, c.value);
    h.mul(f32(W)).sum().backward();
    expectClose(x.grad, c.x_grad);
    expect(() => MulInPlace.apply(leaf(X))).toThrow(c.leaf_error);
    class MulInPlaceNotReturned extends Function {
      static forward(ctx: FunctionCtx, t: Tensor) {
        t.mul_(2);
        ctx.markDirty(t);
        return t.mul(1);
      }
    }
    expect(() => MulInPlaceNotReturned.apply(leaf(X).mul(1))).toThrow(c.not_returned_error);
    class MulInPlaceTwoOutputs extends Function {
      static forward(ctx: FunctionCtx, t: Tensor) {
        t.mul_(2);
        ctx.markDirty(t);
        return [t, t.mul(3)];
      }
    }
    expect(() => MulInPlaceTwoOutputs.apply(leaf(A).mul(1).select(0, 0))).toThrow(c.view_two_outputs_error);
    // PyTorch 1.13 lets a Function write through a view of a leaf that requires grad and breaks the leaf's graph;
    // Descent raises the error its other in-place ops raise there.
    expect(() => MulInPlace.apply(leaf(A).select(0, 0))).toThrow(/a view of a leaf Variable that requires grad/);

    x = leaf(A);
    const base = x.mul(1);
    const view = base.select(0, 1);
    MulInPlace.apply(view);
    expect(base.gradFn?.name()).toBe(c.view.base_grad_fn);
    expect(view.gradFn?.name()).toBe(c.view.view_grad_fn);
    expectClose(base, c.view.base);
    base.mul(base).sum().backward();
    expectClose(x.grad, c.view.x_grad);
  });

  it('markNonDifferentiable: that output does not require grad and backward gets zeros for it', () => {
    const c = fx.non_differentiable;
    seen.length = 0;
    const x = leaf([0.5, -1.25, 2.0, 0.1]);
    const [values, indices] = SortValues.apply(x);
    expectClose(values, c.values);
    expectClose(indices, c.indices);
    expect([values.requiresGrad, indices.requiresGrad]).toEqual(c.requires_grad);
    values.mul(f32([1, 2, 3, 4])).sum().backward();
    expectClose(seen[0][0], c.grads_seen[0]);
    expectClose(seen[0][1], c.grads_seen[1]);
    expectClose(x.grad, c.x_grad);
  });

  it("PyTorch's errors for a wrong number, shape or place of gradients", () => {
    const c = fx.errors;
    const x = leaf(X);
    class TwoGrads extends Twice {
      static backward(_ctx: FunctionCtx, g: Tensor) {
        return [g, g];
      }
    }
    class TrailingNone extends Twice {
      static backward(_ctx: FunctionCtx, g: Tensor) {
        return [g.mul(2), null, undefined];
      }
    }
    class WrongShape extends Function {
      static forward(_ctx: FunctionCtx, a: Tensor, b: Tensor) {
        return a.mul(b);
      }
      static backward(_ctx: FunctionCtx, g: Tensor) {
        return [g.mul(2), torch.ones(2)];
      }
    }
    class GradForNumber extends Function {
      static forward(_ctx: FunctionCtx, a: Tensor, k: number) {
        return a.mul(k);
      }
      static backward(_ctx: FunctionCtx, g: Tensor) {
        return [g, g];
      }
    }
    expect(() => TwoGrads.apply(x).sum().backward()).toThrow(c.count);
    expect(() => WrongShape.apply(x, leaf(X)).sum().backward()).toThrow(c.shape);
    expect(() => GradForNumber.apply(x, 2).sum().backward()).toThrow(inJs(c.number));
    TrailingNone.apply(x).sum().backward();
    expectClose(x.grad, c.trailing_none_grad);
  });

  it('savedTensors: the version check names the tensor as PyTorch does, and freed tensors cannot be read', () => {
    const c = fx.errors;
    const h = leaf(X).mul(1);
    let y = Cube.apply(h);
    h.add_(1);
    expect(() => y.sum().backward()).toThrow(inJs(c.saved_non_leaf));
    const x = leaf(X);
    y = Cube.apply(x);
    torch.noGrad(() => x.add_(1));
    expect(() => y.sum().backward()).toThrow(inJs(c.saved_leaf));
    class Exp extends Function {
      static forward(ctx: FunctionCtx, t: Tensor) {
        const result = t.exp();
        ctx.saveForBackward(result);
        return result;
      }
      static backward(ctx: FunctionCtx, g: Tensor) {
        const [result] = ctx.savedTensors;
        return g.mul(result);
      }
    }
    y = Exp.apply(leaf(X));
    y.add_(1);
    expect(() => y.sum().backward()).toThrow(inJs(c.saved_output));
    y = Cube.apply(leaf(X).mul(1));
    y.sum().backward();
    expect(() => y.sum().backward()).toThrow(inJs(c.freed));
    // With retainGraph the saved tensors stay.
    const z = leaf(X);
    y = Cube.apply(z);
    y.sum().backward(null, { retainGraph: true });
    expect(() => y.sum().backward()).not.toThrow();
  });

  it('double backward through a backward written with tensor ops (createGraph)', () => {
    const c = fx.double_backward;
    const x = leaf(X);
    const y = Cube.apply(x);
    const [g] = grad(y.mul(f32(W)).sum(), x, { createGraph: true });
    expectClose(g, c.g);
    expect(g?.gradFn?.name()).toBe(c.g_grad_fn);
    const [gg] = grad(g!.sum(), x, { createGraph: true });
    expectClose(gg, c.gg);
    const [ggg] = grad(gg!.sum(), x);
    expectClose(ggg, c.ggg);
  });

  it('an input returned as is comes back as a new tensor (a view of it) with the node as history', () => {
    const c = fx.identity;
    class Identity extends Function {
      static forward(_ctx: FunctionCtx, t: Tensor) {
        return t;
      }
      static backward(_ctx: FunctionCtx, g: Tensor) {
        return g.mul(3);
      }
    }
    const x = leaf(X);
    const r = Identity.apply(x);
    expect(r === x).toBe(c.same_object);
    expect(r._base === x).toBe(c.is_view);
    expect(r.gradFn?.name()).toBe(c.grad_fn);
    r.sum().backward();
    expectClose(x.grad, c.x_grad);
  });

  it('the base class asks for forward and backward; apply must be called on the class', () => {
    // The base class has no forward (its type says so too: apply needs one).
    expect(() => Reflect.apply(Function.apply, Function, [leaf(X)])).toThrow(
      'You must implement the forward function for custom autograd.Function.',
    );
    expect(() => Twice.apply(leaf(X)).sum().backward()).toThrow(/You must implement either the backward or vjp method/);
    const unbound = Cube.apply;
    expect(() => (unbound as (x: Tensor) => Tensor)(leaf(X))).toThrow(/must be called on its class/);
  });

  it('onOp sees the Function as one op, the ops of its forward inside it', () => {
    const events: [string, number][] = [];
    const stop = torch.onOp((e) => events.push([e.op, e.depth]));
    try {
      Cube.apply(leaf(X));
    } finally {
      stop();
    }
    expect(events.filter(([op]) => op !== 'upload')).toEqual([
      ['powScalar', 1],
      ['customFunction', 0],
    ]);
  });
});
