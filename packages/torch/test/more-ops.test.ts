import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { ELEMENTWISE_CALLS, ELEMENTWISE_ERROR_CALLS } from './more-ops-calls.js';
import { SHAPE_CALLS, SHAPE_ERROR_CALLS } from './more-ops-shape-calls.js';

// Golden values from real PyTorch 1.13: fixtures/gen_more_ops.py writes fixtures/more-ops.json.
interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: (number | boolean)[];
}

interface Case {
  name: string;
  inputs: FixtureTensor[];
  output: FixtureTensor | FixtureTensor[] | { value: number | boolean | number[] };
  upstream: (FixtureTensor | null)[] | null;
  grads: (FixtureTensor | null)[] | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('more-ops', new URL('./fixtures/', import.meta.url));
const fromFixture = (t: FixtureTensor) => {
  const data = t.dtype === 'int64' ? t.data.map((v) => BigInt(v as number)) : t.data.map(Number);
  return torch.tensor(data, { dtype: t.dtype as torch.DType }).reshape(t.shape);
};
const CALLS = { ...ELEMENTWISE_CALLS, ...SHAPE_CALLS };
const ERROR_CALLS = { ...ELEMENTWISE_ERROR_CALLS, ...SHAPE_ERROR_CALLS };

/** Equal within float32 rounding; NaN matches NaN, and a value's zero sign must match (a gradient's need not). */
function expectTensor(actual: torch.Tensor, expected: FixtureTensor, label: string, signedZeros = true): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label} dtype`).toBe(expected.dtype);
  const got = Array.from(actual.dataSync() as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v : Number(v)));
  expected.data.forEach((e, i) => {
    const g = got[i];
    if (typeof g === 'bigint') {
      if (g !== BigInt(e as number)) throw new Error(`${label} element ${i}: got ${g}, expected ${e}`);
      return;
    }
    const want = Number(e);
    const ok = Number.isNaN(want)
      ? Number.isNaN(g)
      : want === 0
        ? Object.is(g, want) || (!signedZeros && g === 0) || (Math.abs(g) <= 1e-6 && g !== 0)
        : g === want || Math.abs(g - want) <= 1e-5 * Math.max(1, Math.abs(want));
    if (!ok) throw new Error(`${label} element ${i}: got ${Object.is(g, -0) ? '-0' : g}, expected ${Object.is(want, -0) ? '-0' : want}`);
  });
}

describe('more tensor ops against PyTorch 1.13 (values and gradients)', () => {
  const cases = golden.cases as Case[];

  it('covers every generated case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(CALLS).sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const inputs = c.inputs.map((t, i) => {
      const x = fromFixture(t);
      return c.grads?.[i] ? x.requiresGrad_() : x;
    });
    const result = CALLS[name](...inputs);
    if ('value' in c.output) {
      expect(result).toEqual(c.output.value);
      return;
    }
    const outputs = (Array.isArray(result) ? result : [result]) as torch.Tensor[];
    const expected = Array.isArray(c.output) ? c.output : [c.output];
    expect(outputs.length).toBe(expected.length);
    outputs.forEach((o, i) => expectTensor(o, expected[i], `output ${i}`));
    if (!c.grads || !c.upstream) return;
    const live = outputs.map((o, i) => [o, c.upstream![i]] as const).filter(([o, u]) => u !== null && o.requiresGrad);
    if (live.length === 0) {
      // Outputs that record nothing (floor_divide, heaviside): PyTorch has no gradient for them, or all zeros.
      for (const g of c.grads) if (g) expect(g.data.every((v) => v === 0), 'PyTorch gradient is zero').toBe(true);
      return;
    }
    live.map(([o, u]) => o.mul(fromFixture(u!)).sum()).reduce((a, b) => a.add(b)).backward();
    c.grads.forEach((g, i) => {
      if (g) expectTensor(inputs[i].grad ?? torch.zerosLike(inputs[i]), g, `grad ${i}`, false);
    });
  });

  it.each((golden.errors as { name: string; message: string }[]).map((e) => [e.name, e.message] as const))("raises PyTorch's error: %s", (name, message) => {
    expect(ERROR_CALLS[name]).toThrow(message);
  });
});
