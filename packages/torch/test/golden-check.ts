import { expect } from 'vitest';
import * as torch from '@descent/torch';

/** A tensor as the fixture generators write it (gen_more_ops.py's `T`). */
export interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: (number | boolean)[];
}

export const fromFixture = (t: FixtureTensor): torch.Tensor => {
  const data = t.dtype === 'int64' ? t.data.map((v) => BigInt(v as number)) : t.data.map(Number);
  return torch.tensor(data, { dtype: t.dtype as torch.DType }).reshape(t.shape);
};

/** Equal within `tol` relative (float32 rounding by default); NaN matches NaN; a value's zero sign must match. */
export function expectTensor(actual: torch.Tensor, expected: FixtureTensor, label: string, signedZeros = true, tol = 1e-5): void {
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
        ? Object.is(g, want) || (!signedZeros && Math.abs(g) <= tol)
        : g === want || Math.abs(g - want) <= tol * Math.max(1, Math.abs(want));
    if (!ok) throw new Error(`${label} element ${i}: got ${Object.is(g, -0) ? '-0' : g}, expected ${Object.is(want, -0) ? '-0' : want}`);
  });
}
