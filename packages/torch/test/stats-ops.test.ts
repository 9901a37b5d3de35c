import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectTensor, fromFixture, type FixtureTensor } from './golden-check.js';
import { STATS_CALLS, STATS_ERROR_CALLS } from './stats-ops-calls.js';

// Golden values from real PyTorch 1.13: fixtures/gen_stats_ops.py (cases in stats_ops_cases.py) writes
// fixtures/stats-ops.json: values, indices and dtypes, gradients of sum(output * upstream), and error messages.
interface Case {
  name: string;
  inputs: FixtureTensor[];
  output: FixtureTensor | FixtureTensor[];
  upstream: (FixtureTensor | null)[] | null;
  grads: (FixtureTensor | null)[] | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('stats-ops', new URL('./fixtures/', import.meta.url));

// The factorizations round differently from LAPACK (Gauss-Jordan, Householder in another order): float32 within 1e-4,
// and a zero's sign is rounding's choice.
const LOOSE = /^(det|inv|inverse|solve|cholesky|qr|cov|corrcoef)/;
// Which of several tied elements median, nanmedian and kthvalue report is unspecified in PyTorch (its CPU takes what
// std::nth_element leaves there); Descent reports the first in stable order. These cases check that the index
// points at the value, and that the gradient goes to that index.
const TIED = new Set(['median_ties', 'nanmedian_dim', 'kthvalue_ties']);

function expectTiedIndices(x: torch.Tensor, values: torch.Tensor, indices: torch.Tensor, dim: number): void {
  const picked = x.detach().gather(dim, indices.unsqueeze(dim)).squeeze(dim);
  const same = picked.eq(values.detach()).logicalOr(picked.isnan().logicalAnd(values.detach().isnan()));
  expect(Boolean(same.all().item()), "each index points at its value").toBe(true);
}

describe('statistics, counting and linalg ops against PyTorch 1.13 (values and gradients)', () => {
  const cases = golden.cases as Case[];

  it('covers every generated case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(STATS_CALLS).sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const tol = LOOSE.test(name) ? 1e-4 : 1e-5;
    const inputs = c.inputs.map((t, i) => {
      const x = fromFixture(t);
      return c.grads?.[i] ? x.requiresGrad_() : x;
    });
    const result = STATS_CALLS[name](...inputs);
    const outputs = result instanceof torch.Tensor ? [result] : [...result];
    const expected = Array.isArray(c.output) ? c.output : [c.output];
    expect(outputs.length).toBe(expected.length);
    if (TIED.has(name)) {
      expectTensor(outputs[0], expected[0], 'values');
      expectTiedIndices(inputs[0], outputs[0], outputs[1], -1);
      outputs[0].mul(fromFixture(c.upstream![0]!)).sum().backward();
      const routed = torch.zerosLike(inputs[0]).scatter(-1, outputs[1].unsqueeze(-1), fromFixture(c.upstream![0]!).unsqueeze(-1));
      expect(inputs[0].grad!.sub(routed).abs().max().item()).toBe(0);
      return;
    }
    outputs.forEach((o, i) => expectTensor(o, expected[i], `output ${i}`, !LOOSE.test(name), tol));
    if (!c.grads || !c.upstream) return;
    const live = outputs.map((o, i) => [o, c.upstream![i]] as const).filter(([o, u]) => u !== null && o.requiresGrad);
    expect(live.length, 'differentiable outputs').toBeGreaterThan(0);
    live.map(([o, u]) => o.mul(fromFixture(u!)).sum()).reduce((a, b) => a.add(b)).backward();
    c.grads.forEach((g, i) => {
      if (g) expectTensor(inputs[i].grad ?? torch.zerosLike(inputs[i]), g, `grad ${i}`, false, tol);
    });
  });

  it.each((golden.errors as { name: string; message: string }[]).map((e) => [e.name, e.message] as const))("raises PyTorch's error: %s", (name, message) => {
    expect(STATS_ERROR_CALLS[name]).toThrow(message);
  });
});
