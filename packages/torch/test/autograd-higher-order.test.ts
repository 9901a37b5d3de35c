import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import type { Tensor } from '@descent/torch';

// Expected values: PyTorch 1.13 running test/fixtures/gen_higher_order.py, mirrored here line by line.
const golden = JSON.parse(readFileSync(new URL('./fixtures/higher-order.json', import.meta.url), 'utf8'));

const describeTensor = (t: Tensor) => ({ value: t.tolist(), requires_grad: t.requiresGrad, grad_fn: t.gradFn?.name() ?? null });

function expectClose(actual: unknown, expected: unknown): void {
  const a = [actual].flat(3) as number[];
  const e = [expected].flat(3) as number[];
  expect(a).toHaveLength(e.length);
  a.forEach((x, i) => expect(x).toBeCloseTo(e[i], 4));
}

describe('higher-order gradients, as PyTorch gives them', () => {
  it('keep their history while they depend on the input: derivatives of 2x^3', () => {
    const x = torch.tensor(1.5, { requiresGrad: true });
    let d = x.pow(3).mul(2);
    const derivatives = [];
    for (let i = 0; i < 4; i++) {
      [d] = torch.autograd.grad(d, x, { createGraph: true }) as Tensor[];
      derivatives.push(describeTensor(d));
    }
    expect(derivatives).toEqual(golden.cubic);
  });

  it('a constant gradient has no history, even under createGraph', () => {
    const x = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const [g] = torch.autograd.grad(x.mul(3).sum(), x, { createGraph: true }) as Tensor[];
    expect(describeTensor(g)).toEqual(golden.linear);
  });

  it('allowUnused gives null for an input the output does not use, and the error names the option otherwise', () => {
    const x = torch.tensor([1, 2], { dtype: 'float32', requiresGrad: true });
    const unused = torch.tensor([3], { dtype: 'float32', requiresGrad: true });
    const [gx, gu] = torch.autograd.grad(x.pow(2).sum(), [x, unused], { allowUnused: true });
    expect({ x: gx?.tolist(), unused: gu }).toEqual(golden.allow_unused);
    expect(() => torch.autograd.grad(x.pow(2).sum(), [x, unused])).toThrow(
      golden.unused_error.replace('allow_unused=True', 'allowUnused: true'),
    );
  });

  it('a Hessian-vector product through softmax, cat and mm', () => {
    const w = torch.tensor([[0.5, -1.0], [2.0, 0.25]], { requiresGrad: true });
    const v = torch.tensor([[1.0, 2.0], [0.5, -1.0]]);
    const out = torch.cat([w.softmax(1), w.mm(w)], 0).pow(2).sum();
    const [g] = torch.autograd.grad(out, w, { createGraph: true }) as Tensor[];
    const [hv] = torch.autograd.grad(g.mul(v).sum(), w, { createGraph: true }) as Tensor[];
    expectClose(g.tolist(), golden.hvp.g);
    expectClose(hv.tolist(), golden.hvp.hv);
    expect(hv.gradFn?.name()).toBe(golden.hvp.grad_fn);
  });
});
