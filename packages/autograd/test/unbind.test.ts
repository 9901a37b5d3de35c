// torch.unbind as PyTorch's one multi-output view op (UnbindBackward0) against real PyTorch 1.13:
// fixtures/gen_unbind.py writes the goldens.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { grad } from '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';

interface Fx {
  shape: number[];
  data: number[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture's shape is the generator's
const fx: Record<string, any> = JSON.parse(readFileSync(new URL('./fixtures/unbind.json', import.meta.url), 'utf8')).cases;

const X = [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => 0.5 * i - 0.25 * j + 0.125 * k - 1)));
const leaf = () => torch.tensor(X, { dtype: 'float32', requiresGrad: true });
const weight = (shape: readonly number[], i: number) =>
  torch.arange(shape.reduce((a, b) => a * b, 1), { dtype: 'float32' }).reshape(shape).mul(0.1).add(i);
const nexts = (t: Tensor) => t.gradFn!.nextFunctions.map(([n, i]) => [n?.name() ?? null, i]);

function expectClose(actual: Tensor | null, expected: Fx): void {
  expect(actual).not.toBeNull();
  expect(actual!.shape).toEqual(expected.shape);
  const got = actual!.dataSync() as Float32Array;
  expected.data.forEach((v, i) => expect(got[i], `element ${i}`).toBeCloseTo(v, 5));
}

function message(fn: () => unknown): string | null {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

describe('unbind (UnbindBackward0)', () => {
  it('gives every output one node, UnbindBackward0, with the input as its one edge', () => {
    const x = leaf();
    const outs = x.mul(2).unbind(1);
    expect(outs.map((o) => o.gradFn!.name())).toEqual(fx.names.grad_fn);
    expect(outs[1].gradFn!.nextFunctions).toEqual(outs[0].gradFn!.nextFunctions);
    expect(nexts(outs[0])).toEqual(fx.names.next);
    expect(nexts(x.unbind(0)[0])).toEqual(fx.names.leaf_next);
    const printed = torch.tensor([1.5, -2.0], { requiresGrad: true }).mul(1).reshape([2, 1]).unbind(1)[0];
    expect(printed.toString()).toBe(fx.names.repr);
    expect(x.unbind(0)[1].view([12]).gradFn!.name()).toBe(fx.names.view_of_output);
    const consumer = outs[0].add(outs[2]).gradFn!;
    expect(consumer.nextFunctions.map(([n, i]) => [n?.name() ?? null, i])).toEqual(fx.names.consumer_next);
    expect(consumer.nextFunctions[0][0] === consumer.nextFunctions[1][0]).toBe(fx.names.consumer_same_node);
  });

  it('outputs are views of the input: they share its storage', () => {
    const x = leaf();
    const outs = x.unbind(2);
    expect(outs.every((o) => o._storage === x._storage)).toBe(true);
    expect(outs[3].shape).toEqual([2, 3]);
  });

  it('matches PyTorch gradients on every dim, negative ones, with every slice used or only the last', () => {
    for (const c of fx.grads as { dim: number; used: string; grad: Fx }[]) {
      const x = leaf();
      const outs = x.unbind(c.dim);
      const picks = c.used === 'all' ? outs.map((_, i) => i) : [outs.length - 1];
      picks.map((i) => outs[i].mul(weight(outs[i].shape, i)).sum()).reduce((a, b) => a.add(b)).backward();
      expectClose(x.grad, c.grad);
    }
  });

  it('backs a strided input and keeps a retained output gradient', () => {
    const x = leaf();
    const outs = x.transpose(0, 2).unbind(1);
    outs[2].retainGrad();
    outs[0].mul(outs[2]).pow(2).sum().backward();
    expectClose(x.grad, fx.strided.grad);
    expectClose(outs[2].grad, fx.strided.retained);
  });

  it('has second derivatives: its gradient is a stack, differentiable in turn', () => {
    const x = leaf();
    const [a, b, c] = x.unbind(1);
    const loss = a.mul(b).mul(c).sum().add(a.pow(3).sum());
    const [g] = grad(loss, x, { createGraph: true });
    expectClose(g, fx.double.grad);
    expect(g!.gradFn!.name()).toBe(fx.double.grad_fn);
    const [gg] = grad(g!.mul(g!).sum(), x);
    expectClose(gg, fx.double.gradgrad);
  });

  it("refuses in-place writes to its outputs, and views of them, with PyTorch's messages while grad is recorded", () => {
    const x = leaf();
    expect(message(() => x.mul(1).unbind(0)[1].mul_(2))).toBe(fx.inplace.output);
    expect(message(() => x.unbind(-1)[0].zero_())).toBe(fx.inplace.leaf_dim);
    expect(message(() => x.mul(1).unbind(0)[0].view([12]).add_(1))).toBe(fx.inplace.view_of_output);
    const y = x.mul(1);
    const last = y.unbind(2)[3];
    y.mul_(2);
    expect(message(() => last.gradFn)).toBe(fx.inplace.base_written);
    expect(message(() => torch.tensor(1.5).unbind())).toBe(fx.inplace.zero_dim);
  });

  it('lets them be written under noGrad, or when nothing requires grad', () => {
    const x = leaf();
    const y = x.mul(1);
    const first = y.unbind(0)[0];
    torch.noGrad(() => first.add_(1));
    expectClose(y, fx.inplace.nograd_write);
    const plain = torch.tensor(X, { dtype: 'float32' });
    plain.unbind(1)[0].mul_(10);
    expectClose(plain, fx.inplace.plain_write);
  });
});
