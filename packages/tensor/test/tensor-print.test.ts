import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

interface PrintCase {
  tensor: { shape: number[]; dtype: string; data: (number | string)[] };
  repr: string;
  requires_grad?: boolean;
  expr?: string;
}

function build(c: PrintCase): torch.Tensor {
  const data = c.tensor.data.map(Number);
  let t = torch.tensor(data, { dtype: c.tensor.dtype as torch.DType }).reshape(c.tensor.shape);
  if (c.requires_grad) t.requiresGrad_(true);
  // A tensor whose last op was an addition: its values are exact and its grad_fn is AddBackward0.
  if (c.expr) t = t.requiresGrad_(true).add(0);
  return t;
}

describe('Tensor printing matches PyTorch repr (print.json)', () => {
  const cases: PrintCase[] = loadFixture('print').cases;
  cases.forEach((c, i) => {
    it(`case ${i}: shape [${c.tensor.shape}] ${c.tensor.dtype}`, () => {
      const t = build(c);
      expect(t.toString()).toBe(c.repr);
      expect(inspect(t)).toBe(c.repr);
    });
  });

  it('prints grad_fn and requires_grad the PyTorch way', () => {
    const w = torch.tensor([[1.5, 2]], { requiresGrad: true });
    expect(String(w)).toBe('tensor([[1.5000, 2.0000]], requires_grad=True)');
    expect(String(w.mul(2).sum())).toBe('tensor(7., grad_fn=<SumBackward0>)');
    expect(String(w.detach())).toBe('tensor([[1.5000, 2.0000]])');
  });
});
