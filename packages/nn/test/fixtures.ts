// Loads the PyTorch golden files: the shared ones (see shared/fixtures/README.md) and this package's own
// test/fixtures/nn-extra.json (written by tooling/fixtures/gen_nn_extra.py).

import { expect } from 'vitest';
import { tensor, type DType, type Tensor } from '@descent/tensor';
import { loadFixture } from '@descent/test-fixtures';

export { loadFixture };

/** This package's own golden file, test/fixtures/nn-extra.json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function loadNnExtra(): any {
  return loadFixture('nn-extra', new URL('./fixtures/', import.meta.url));
}

export interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

export function fromFixture(t: FixtureTensor, requiresGrad = false): Tensor {
  // Fixture dtypes are PyTorch's (int64 for integers, as Descent's default).
  const x = tensor(t.data, { dtype: t.dtype as DType }).reshape(t.shape);
  return requiresGrad ? x.requiresGrad_(true) : x;
}

/** Asserts shape and values within `rtol * |expected| + atol`, naming the first element that differs. */
export function expectClose(actual: Tensor, expected: FixtureTensor, rtol = 1e-5, atol = 1e-6, label = ''): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  const got = actual.dataSync();
  expected.data.forEach((e, i) => {
    const a = Number(got[i]);
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) throw new Error(`${label} element ${i}: got ${a}, expected ${e} (shape [${expected.shape}])`);
  });
}

/** Asserts exact (bit-for-bit float32) equality with a golden float32 tensor. */
export function expectExact(actual: Tensor, expected: FixtureTensor, label = ''): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(Array.from(actual.dataSync() as Float32Array), label).toEqual(expected.data.map((v) => Math.fround(v)));
}
