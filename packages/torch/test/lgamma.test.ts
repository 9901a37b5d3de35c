import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';

// torch.lgamma and Multinomial.logProb (which needs it) against PyTorch 1.13 (fixtures/gen_lgamma.py).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('lgamma', new URL('./fixtures/', import.meta.url));

function close(got: number[], expected: number[], tol: number, label: string): void {
  expect(got.length, label).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `${label}[${i}]: ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

describe('torch.lgamma', () => {
  it('matches PyTorch in float32 and float64, with digamma as its gradient', () => {
    const x = torch.tensor(golden.x as number[], { dtype: torch.float32, requiresGrad: true });
    const y = torch.lgamma(x);
    close(y.tolist() as number[], golden.float32, 1e-6, 'float32');
    y.sum().backward();
    close(x.grad!.tolist() as number[], golden.grad, 1e-5, 'digamma');
    close(torch.lgamma(torch.tensor(golden.x as number[], { dtype: torch.float64 })).tolist() as number[], golden.float64, 1e-13, 'float64');
  });

  it("prints as PyTorch's: exact zeros at 1 and 2, integers promoted, poles at +inf", () => {
    expect(String(torch.lgamma(torch.tensor([1.0, 2.0, 3.0, 0.5], { dtype: torch.float32 })))).toBe(golden.repr);
    expect(String(torch.lgamma(torch.tensor([1, 2, 5])))).toBe(golden.ints);
    expect((torch.lgamma(torch.tensor([0, -1, -3], { dtype: torch.float32 })).tolist() as number[]).map(String)).toEqual(golden.poles.map((s: string) => (s === 'inf' ? 'Infinity' : s)));
    expect(String(torch.tensor([4.5]).lgamma())).toBe(golden.method);
    expect(String(torch.lgamma(torch.tensor([2.5], { requiresGrad: true })))).toBe(golden.grad_fn);
  });

  it('gives Multinomial its log-probabilities', () => {
    const m = new torch.distributions.Multinomial(10, torch.tensor([0.2, 0.3, 0.5]));
    const values = torch.tensor([[2, 3, 5], [0, 0, 10], [10, 0, 0]], { dtype: torch.float32 });
    close(m.logProb(values).tolist() as number[], golden.multinomial_log_prob, 1e-5, 'log_prob');
    const logits = torch.tensor([[0.0, 1.0, -1.0], [2.0, 0.5, 0.0]], { requiresGrad: true });
    const lm = new torch.distributions.Multinomial(4, { logits });
    const lp = lm.logProb(torch.tensor([[1, 2, 1], [4, 0, 0]], { dtype: torch.float32 }));
    lp.sum().backward();
    close(lp.tolist() as number[], golden.multinomial_logits[0], 1e-5, 'logits log_prob');
    close((logits.grad!.tolist() as number[][]).flat(), golden.multinomial_logits[1].flat(), 1e-5, 'logits grad');
  });
});
