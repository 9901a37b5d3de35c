// Tensor hooks (`x.registerHook`) against PyTorch 1.13 (fixtures/hooks.json, written by fixtures/gen_hooks.py): each
// case runs the generator's Python line by line.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

interface FixtureTensor {
  shape: number[];
  data: number[];
}
type Grad = FixtureTensor | null;

/* eslint-disable @typescript-eslint/no-explicit-any -- the fixture's JSON, read case by case */
const fx = loadFixture('hooks', new URL('./fixtures/', import.meta.url)).tensor as Record<string, any>;
/* eslint-enable @typescript-eslint/no-explicit-any */

// Gradients and hook arguments, all float32.
const T = (t: torch.Tensor | null): Grad =>
  t === null ? null : { shape: [...t.shape], data: Array.from(t.dataSync() as Float32Array) };

function expectClose(actual: torch.Tensor | null, expected: Grad): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(actual).not.toBeNull();
  const got = T(actual) as FixtureTensor;
  expect(got.shape).toEqual(expected.shape);
  expected.data.forEach((v, i) => expect(got.data[i]).toBeCloseTo(v, 5));
}

describe('registerHook on a leaf', () => {
  it("runs the docstring's example: a hook doubling the gradient, then removed", () => {
    const v = torch.tensor([0, 0, 0], { requiresGrad: true });
    const h = v.registerHook((grad) => grad.mul(2)); // double the gradient
    v.backward(torch.tensor([1, 2, 3], { dtype: 'float32' }));
    expectClose(v.grad, fx.docstring.doubled);
    expect(v.grad?.dtype).toBe('float32');
    h.remove(); // removes the hook
    v.grad = null;
    v.backward(torch.tensor([1, 2, 3], { dtype: 'float32' }));
    expectClose(v.grad, fx.docstring.after_remove);
  });

  it('runs hooks in registration order, each on what the previous returned, before accumulation', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    let calls: [string, Grad][] = [];
    const h1 = x.registerHook((g) => {
      calls.push(['h1', T(g)]);
      return g.mul(2);
    });
    x.registerHook((g) => {
      calls.push(['h2', T(g)]);
    });
    x.mul(x).sum().backward();
    expect(calls).toEqual(fx.leaf_order.first.calls);
    expectClose(x.grad, fx.leaf_order.first.grad);
    h1.remove();
    h1.remove(); // a second remove does nothing, as in PyTorch
    x.grad = null;
    calls = [];
    x.mul(x).sum().backward();
    expect(calls).toEqual(fx.leaf_order.after_remove.calls);
    expectClose(x.grad, fx.leaf_order.after_remove.grad);
  });

  it('retainGrad on a leaf changes nothing; an existing .grad gets the hooked gradient added, on every backward', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    x.retainGrad();
    x.registerHook((g) => g.mul(10));
    x.mul(x).sum().backward();
    expectClose(x.grad, fx.leaf_retain);

    const y = torch.tensor([1, 2], { requiresGrad: true });
    y.grad = torch.tensor([10, 10], { dtype: 'float32' });
    y.registerHook((g) => g.mul(2));
    y.mul(1).sum().backward();
    expectClose(y.grad, fx.accumulate.existing);
    y.grad = null;
    y.mul(1).sum().backward();
    y.mul(3).sum().backward();
    expectClose(y.grad, fx.accumulate.two_passes);
  });

  it('a handle removes its hook at the end of a `using` block, as `with handle:`', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    {
      using _handle = x.registerHook((g) => g.mul(100));
    }
    x.sum().backward();
    expectClose(x.grad, { shape: [2], data: [1, 1] });
  });
});

describe('registerHook on a non-leaf', () => {
  it('replaces the gradient before it flows on through gradFn; the non-leaf keeps no .grad', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    const y = x.mul(2);
    const calls: Grad[] = [];
    y.registerHook((g) => {
      calls.push(T(g));
      return g.add(1);
    });
    y.mul(y).sum().backward();
    expect(calls).toEqual(fx.non_leaf.calls);
    expectClose(x.grad, fx.non_leaf.x_grad);
    expectClose(y.grad, fx.non_leaf.y_grad);
  });

  it('retainGrad before the first hook keeps the raw gradient; after it, even between two hooks, the hooked one', () => {
    for (const mode of ['before', 'between', 'after'] as const) {
      const x = torch.tensor([1, 2, 3], { requiresGrad: true });
      const y = x.mul(2);
      if (mode === 'before') y.retainGrad();
      y.registerHook((g) => g.mul(10));
      if (mode === 'between') y.retainGrad();
      y.registerHook((g) => g.add(1));
      if (mode === 'after') y.retainGrad();
      y.mul(y).sum().backward();
      expectClose(y.grad, fx.retain[mode].y_grad);
      expectClose(x.grad, fx.retain[mode].x_grad);
    }
  });

  it('runs once on the summed gradient of a tensor used twice, and on the root of backward', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    const calls: Grad[] = [];
    y.registerHook((g) => {
      calls.push(T(g));
    });
    y.mul(2).add(y.mul(3)).sum().backward();
    expect(calls).toEqual(fx.used_twice);

    const z = torch.tensor([1, 2], { requiresGrad: true });
    const root = z.mul(z).sum();
    root.registerHook((g) => g.mul(3));
    root.backward();
    expectClose(z.grad, fx.root);
  });

  it('stays on the node it was registered on when the tensor is then changed in place; works on views', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    y.registerHook((g) => g.mul(100));
    y.mul_(2);
    y.sum().backward();
    expectClose(x.grad, fx.inplace_after);

    const w = torch.tensor([1, 2, 3], { requiresGrad: true });
    const v = w.slice(0, 1);
    v.registerHook((g) => g.mul(7));
    v.mul(1).sum().backward();
    expectClose(w.grad, fx.view);
  });

  it("under createGraph the hook's result is part of the graph", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x);
    y.registerHook((g) => g.mul(x));
    const [g] = torch.autograd.grad(y.sum(), x, { createGraph: true });
    expectClose(g, fx.create_graph.grad);
    expect(g?.gradFn?.name()).toBe(fx.create_graph.grad_fn);
    const [gg] = torch.autograd.grad((g as torch.Tensor).sum(), x);
    expectClose(gg, fx.create_graph.second);
  });
});

describe('registerHook with autograd.grad', () => {
  it('runs the hooks of the non-leaves it passes through, not those of its inputs nor of leaves', () => {
    const x = torch.tensor([1, 2, 3], { requiresGrad: true });
    let calls: [string, Grad][] = [];
    x.registerHook((g) => {
      calls.push(['x', T(g)]);
      return g.mul(2);
    });
    const y = x.mul(3);
    y.registerHook((g) => {
      calls.push(['y', T(g)]);
      return g.mul(5);
    });
    const o = y.mul(y).sum();
    for (const [name, inputs] of [['x', [x]], ['y', [y]], ['xy', [x, y]]] as const) {
      calls = [];
      const got = torch.autograd.grad(o, [...inputs], { retainGraph: true });
      expect(got.length).toBe(fx.autograd_grad[name].grads.length);
      got.forEach((g, i) => expectClose(g, fx.autograd_grad[name].grads[i]));
      expect(calls).toEqual(fx.autograd_grad[name].calls);
    }
    calls = [];
    o.backward();
    expectClose(x.grad, fx.autograd_grad.backward.grads[0]);
    expect(calls).toEqual(fx.autograd_grad.backward.calls);
  });

  it('fills a retained .grad on the way to another input, not for the input itself', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3);
    y.retainGrad();
    const o = y.mul(y).sum();
    const [gx] = torch.autograd.grad(o, [x], { retainGraph: true });
    expectClose(gx, fx.retain_autograd_grad.x_grad);
    expectClose(y.grad, fx.retain_autograd_grad.y_grad_through);
    y.grad = null;
    torch.autograd.grad(o, [y]);
    expectClose(y.grad, fx.retain_autograd_grad.y_grad_as_input);
  });
});

describe("registerHook's errors are PyTorch's", () => {
  it('on a tensor that does not require grad', () => {
    expect(() => torch.tensor([1]).registerHook((g) => g)).toThrow(fx.errors.no_grad);
    const w = torch.tensor([1, 2], { requiresGrad: true });
    torch.noGrad(() => expect(() => w.mul(2).registerHook((g) => g)).toThrow(fx.errors.no_grad));
  });

  it('on a hook that changes the size or the dtype, or returns something else than a tensor', () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    const y = x.mul(1);
    function myhook(): torch.Tensor {
      return torch.ones(3);
    }
    y.registerHook(myhook);
    expect(() => y.sum().backward()).toThrow(fx.errors.size_named);

    const cases: [(g: torch.Tensor) => unknown, string][] = [
      [() => torch.ones(3), fx.errors.size_lambda],
      [(g) => g.int(), fx.errors.dtype],
    ];
    for (const [hook, message] of cases) {
      const leaf = torch.tensor([1, 2], { requiresGrad: true });
      leaf.registerHook(hook as torch.TensorHook);
      expect(() => leaf.mul(1).sum().backward()).toThrow(message);
    }
    const leaf = torch.tensor([1, 2], { requiresGrad: true });
    leaf.registerHook((() => 5) as unknown as torch.TensorHook);
    expect(() => leaf.mul(1).sum().backward()).toThrow(new TypeError(fx.errors.not_tensor));
  });
});
