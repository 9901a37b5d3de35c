import { fromArray, type Tensor } from '@descent/tensor';

export { loadFixture } from '@descent/test-fixtures';

export interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

export function fromFixture(t: FixtureTensor, requiresGrad = false): Tensor {
  const data = t.dtype.startsWith('int') ? Int32Array.from(t.data) : t.dtype === 'bool' ? Uint8Array.from(t.data) : Float32Array.from(t.data);
  const x = fromArray(data, t.shape);
  return requiresGrad ? x.requiresGrad_(true) : x;
}

/** Asserts shape and values within `rtol * |expected| + atol`, naming the first element that differs. */
export function expectClose(actual: Tensor, expected: FixtureTensor, rtol = 1e-5, atol = 1e-6): void {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new Error(`shape [${actual.shape}] != expected [${expected.shape}]`);
  }
  const got = actual.dataSync();
  expected.data.forEach((e, i) => {
    const a = got[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) throw new Error(`element ${i}: got ${a}, expected ${e} (shape [${expected.shape}])`);
  });
}
