import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// d2l.ai 2.6 (probability and statistics) translated line by line: coin and die tosses with
// torch.distributions.Multinomial and running estimates; fixtures/gen_d2l_probability.py runs the originals with
// real PyTorch 1.13 on the same seeds.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('d2l-probability', new URL('./fixtures/', import.meta.url));
const { Multinomial } = torch.distributions;

function expectClose(actual: torch.Tensor, expected: number[], tol = 1e-6, label = ''): void {
  const got = actual.reshape(-1).tolist() as number[];
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

describe('d2l 2.6 probability', () => {
  it('tosses coins and estimates their probabilities as PyTorch draws them', () => {
    torch.manualSeed(0);
    const fair_probs = torch.tensor([0.5, 0.5]);
    expect(String(new Multinomial(100, fair_probs).sample())).toBe(golden.coin_100);
    expect(String(new Multinomial(100, fair_probs).sample().div(100))).toBe(golden.coin_100_frac);
    let counts = new Multinomial(10000, fair_probs).sample();
    expect(String(counts.div(10000))).toBe(golden.coin_10000);
    counts = new Multinomial(1, fair_probs).sample([10000]);
    const cum_counts = counts.cumsum({ dim: 0 });
    const estimates = cum_counts.div(cum_counts.sum({ dim: 1, keepdims: true }));
    expect(estimates.shape).toEqual(golden.estimates_shape);
    expectClose(estimates.index(':6'), golden.estimates_head, 1e-6, 'head');
    expectClose(estimates.index('-3:'), golden.estimates_tail, 1e-6, 'tail');
  });

  it('rolls dice', () => {
    torch.manualSeed(1);
    const fair_probs = torch.ones([6]).div(6);
    expect(String(new Multinomial(1, fair_probs).sample())).toBe(golden.die_1);
    expect(String(new Multinomial(10, fair_probs).sample())).toBe(golden.die_10);
    let counts = new Multinomial(1000, fair_probs).sample();
    expect(String(counts.div(1000))).toBe(golden.die_1000);
    counts = new Multinomial(10, fair_probs).sample([500]);
    const cum_counts = counts.cumsum({ dim: 0 });
    const estimates = cum_counts.div(cum_counts.sum({ dim: 1, keepdims: true }));
    expectClose(estimates.index('-2:'), golden.die_estimates_tail, 1e-6, 'die estimates');
  });

  it("has PyTorch's shapes, moments, repr and errors", () => {
    const fair_probs = torch.ones([6]).div(6);
    const m = new Multinomial(10, fair_probs);
    expect([String(m), String(m.support), m.batchShape, m.eventShape]).toEqual(golden.repr);
    expectClose(m.mean, golden.mean, 1e-6, 'mean');
    expectClose(m.variance, golden.variance, 1e-6, 'variance');
    torch.manualSeed(2);
    const batched = new Multinomial(4, { logits: torch.tensor([[0.0, 1.0, 2.0], [2.0, 0.0, -1.0]], { dtype: torch.float32 }) });
    expect(batched.batchShape).toEqual(golden.batched[0]);
    expectClose(batched.sample([3]), golden.batched[1], 0, 'batched sample');
    expect(batched.sample([3]).shape).toEqual(golden.batched[2]);
    expect(() => new Multinomial(1, torch.tensor([0.5, -0.1]))).toThrow(golden.invalid);
    expect(() => new Multinomial(torch.tensor(3) as never, fair_probs)).toThrow(golden.inhomogeneous);
  });
});
