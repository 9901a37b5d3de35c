import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `x.sum(1, True)`, `torch.max(x, 1, True)`, `x.var(1, False)`: PyTorch takes keepdim (and var/std's unbiased)
// positionally. A boolean there was read as an empty options object, so keepdim and unbiased were dropped without a
// word (x.var(1, False) divided by N - 1). fixtures/gen_positional_keepdim.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('positional-keepdim', new URL('./fixtures/', import.meta.url));

const x = torch.tensor([[3.0, 1.0, 2.0, 7.0], [0.5, 5.0, 4.0, -1.0], [2.0, 2.5, -3.0, 0.0]]);
const CASES: Record<string, () => torch.Tensor | { values: torch.Tensor }> = {
  sum: () => x.sum(1, true),
  mean: () => x.mean(0, true),
  prod: () => x.prod(1, true),
  amax: () => x.amax(1, true),
  amin: () => x.amin(0, true),
  argmax: () => x.argmax(1, true),
  argmin: () => x.argmin(0, true),
  max: () => x.max(1, true),
  min: () => x.min(0, true),
  torch_max: () => torch.max(x, 1, true),
  torch_sum: () => torch.sum(x, 1, true),
  var_biased: () => x.var(1, false),
  std_biased_keepdim: () => x.std(0, false, true),
  std_unbiased: () => x.std(1, true),
  any: () => x.gt(4).any(1, true),
  all: () => x.gt(-5).all(0, true),
  logsumexp: () => x.logsumexp(1, true),
  median: () => x.median(1, true),
  kthvalue: () => x.kthvalue(2, 1, true),
  mode: () => x.mode(0, true),
  norm: () => x.norm(2, 1, true),
};

describe('keepdim and unbiased given positionally, as in PyTorch', () => {
  for (const [name, call] of Object.entries(CASES)) {
    it(name, () => {
      const r = call();
      const t = r instanceof torch.Tensor ? r : r.values;
      expect(t.shape).toEqual(golden[name].shape);
      const got = (t.flatten().tolist() as (number | boolean)[]).map((v) => (typeof v === 'boolean' ? v : Number(v)));
      got.forEach((v, i) => (typeof v === 'boolean' ? expect(v).toBe(golden[name].data[i]) : expect(v).toBeCloseTo(golden[name].data[i], 5)));
    });
  }

  it('a boolean where PyTorch has none raises instead of being dropped', () => {
    expect(() => x.cumsum(1, true as never)).toThrow(TypeError);
  });
});
