import type { HostArray, Operand } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { matmulStrided } from '../src/matmul.js';
import { matmulKernelBytes } from '../src/wasm/matmul-kernel.js';
import { planOperand, skewedPitch } from '../src/wasm/matmul-operands.js';
import { packKernelBytes } from '../src/wasm/pack-kernel.js';
import { simdSupport } from '../src/wasm/simd-support.js';
import { wasmApi } from '../src/wasm/wasm-api.js';
import { sleb, uleb } from '../src/wasm/wasm-bytes.js';
import { wasmMatmulF32 } from '../src/wasm/wasm-matmul.js';

/** Deterministic floats in [-1, 1) so failures reproduce. */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function operand(buffer: Float32Array, shape: number[], strides: number[], offset = 0): Operand<HostArray> {
  return { buffer, view: { shape, strides, offset }, dtype: 'float32' };
}

/** The JS kernel (double accumulation) as reference, and the Wasm result must match it within float32 rounding. */
function expectClose(a: Operand<HostArray>, b: Operand<HostArray>): void {
  const got = wasmMatmulF32(a, b);
  expect(got).not.toBeNull();
  const want = matmulStrided(a, b, { wasm: false });
  const k = a.view.shape[2];
  expect(got?.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs((got?.[i] ?? NaN) - Number(want[i]))).toBeLessThanOrEqual(1e-6 * k + 1e-6);
  }
}

const contiguous = (batch: number, rows: number, cols: number, seed: number): Operand<HostArray> =>
  operand(values(batch * rows * cols, seed), [batch, rows, cols], [rows * cols, cols, 1]);

describe('Wasm bytecode writer', () => {
  it('encodes LEB128', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-1)).toEqual([0x7f]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it('emits kernels that validate, with and without relaxed FMA', () => {
    expect(simdSupport().simd128).toBe(true);
    // Node >= 20 with no flags: Node 21+ ships relaxed SIMD, and the backend turns it on for Node 20's V8 11.3.
    expect(simdSupport().relaxed).toBe(true);
    for (const shared of [false, true]) expect(wasmApi?.validate(packKernelBytes({ shared }))).toBe(true);
    for (const layout of ['tiles', 'rowMajor'] as const) {
      for (const shared of [false, true]) {
        expect(wasmApi?.validate(matmulKernelBytes(false, { shared }, layout))).toBe(true);
        if (simdSupport().relaxed) expect(wasmApi?.validate(matmulKernelBytes(true, { shared }, layout))).toBe(true);
      }
    }
  });
});

describe('Wasm SIMD float32 matmul', () => {
  it('matches the reference on shapes that are not multiples of the 4x8 tile', () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [3, 5, 7],
      [5, 1, 9],
      [4, 8, 8],
      [13, 17, 19],
      [33, 300, 17],
    ]) {
      expectClose(contiguous(1, m, k, m * 7 + n), contiguous(1, k, n, k * 3 + 1));
    }
  });

  it('accumulates across k blocks (k larger than the block)', () => {
    expectClose(contiguous(1, 6, 600, 1), contiguous(1, 600, 10, 2));
  });

  it('reads transposed and offset operands', () => {
    const m = 7;
    const k = 11;
    const n = 9;
    // a stored as [k, m] and read transposed; b stored as [n, k] with a leading pad of 5 elements.
    const a = operand(values(m * k, 3), [1, m, k], [0, 1, m]);
    const b = operand(values(5 + n * k, 4), [1, k, n], [0, 1, k], 5);
    expectClose(a, b);
  });

  it('reads row-major and column-major A and row-major B in place, with row gaps, offsets and single rows or columns', () => {
    for (const [m, k, n] of [
      [1, 9, 13],
      [13, 9, 1],
      [6, 300, 10],
      [10, 7, 37],
    ]) {
      // a: column-major with 3 floats of gap after each column; b: row-major with 2 floats of gap after each row.
      const a = operand(values(2 + (m + 3) * k, m + k), [1, m, k], [0, 1, m + 3], 2);
      const b = operand(values(4 + (n + 2) * k, n * k), [1, k, n], [0, n + 2, 1], 4);
      expectClose(a, b);
      // Each layout against a packed partner, and both as a batch.
      expectClose(a, contiguous(1, k, n, 11));
      expectClose(operand(values(m * k, 12), [1, m, k], [0, k, 1]), b);
      // Row-major A with gaps between rows (a slice), read row by row in place.
      expectClose(operand(values(2 + m * (k + 3), 15), [1, m, k], [0, k + 3, 1], 2), b);
      expectClose(operand(values(2 * m * k, 13), [2, m, k], [m * k, 1, m]), operand(values(2 * k * n, 14), [2, k, n], [k * n, n, 1]));
    }
  });

  it('places operands whose rows or steps are a multiple of 128 floats at a skewed pitch, with the same results', () => {
    // k = 256 (row-major A rows skewed), n = 128 (row-major B steps skewed), m = 256 (column-major A steps skewed).
    const [m, k, n] = [256, 256, 128];
    expect(planOperand(m, m, k, k, 1, 4, true, true)).toMatchObject({ pitch: k + 16, tile: 4 * 4 * (k + 16), layout: 'rowMajor' });
    expect(planOperand(n, n, k, 1, n, 8, false, true)).toMatchObject({ pitch: n + 16, step: 4 * (n + 16) });
    expect(planOperand(n, n, k, 1, n, 8, false, false).pitch).toBe(n);
    expect(skewedPitch(784)).toBe(784);
    const a = contiguous(1, m, k, 40);
    const b = contiguous(1, k, n, 41);
    expectClose(a, b);
    expectClose(operand(values(m * k, 42), [1, m, k], [0, 1, m]), b);
    // Batches (A shared, then B shared), a row-major A with gaps and a B with gaps between steps.
    expectClose(operand(values(m * k, 43), [2, m, k], [0, k, 1]), contiguous(2, k, n, 44));
    expectClose(contiguous(2, m, k, 45), operand(values(k * n, 46), [2, k, n], [0, n, 1]));
    expectClose(operand(values(m * (k + 3), 47), [1, m, k], [0, k + 3, 1]), operand(values(k * (n + 5), 48), [1, k, n], [0, n + 5, 1]));
  });

  it('packs a column-major B (x @ w.t()) in the kernel, for any k and column gap', () => {
    for (const [m, k, n] of [
      [5, 7, 9],
      [8, 12, 16],
      [3, 130, 33],
    ]) {
      const a = contiguous(1, m, k, m + n);
      // Columns k apart (w.t() of a contiguous w), k rounded up to 4 apart, and 5 apart more than that.
      for (const ld of [k, Math.ceil(k / 4) * 4, k + 5]) expectClose(a, operand(values(n * ld, ld), [1, k, n], [0, 1, ld]));
      // A batch, and a batch sharing one B.
      expectClose(contiguous(2, m, k, 3), operand(values(2 * n * k, 4), [2, k, n], [n * k, 1, k]));
      expectClose(contiguous(2, m, k, 5), operand(values(n * k, 6), [2, k, n], [0, 1, k]));
    }
  });

  it('handles batches, including a B broadcast with batch stride 0', () => {
    const a = contiguous(3, 6, 10, 5);
    expectClose(a, contiguous(3, 10, 12, 6));
    expectClose(a, operand(values(10 * 12, 7), [3, 10, 12], [0, 12, 1]));
  });

  it('multiplies an A shared by the batch (batch stride 0, as a convolution weight against each sample)', () => {
    // [6, 25] against 5 items of [25, 37] (narrow rows, copied back element by element), and [16, 150] against
    // [150, 100] items, with B items at an offset and with a gap between rows.
    const weight = (m: number, k: number, batch: number, seed: number) => operand(values(m * k, seed), [batch, m, k], [0, k, 1]);
    expectClose(weight(6, 25, 5, 30), contiguous(5, 25, 37, 31));
    expectClose(weight(16, 150, 3, 32), contiguous(3, 150, 100, 33));
    const gapped = operand(values(4 * (9 * 70) + 3, 34), [4, 9, 66], [9 * 70, 70, 1], 3);
    expectClose(weight(7, 9, 4, 35), gapped);
    // A transposed shared A (column-major), as the gradient W^T @ g reads it.
    const wt = operand(values(20 * 6, 36), [3, 20, 6], [0, 1, 20]);
    expectClose(wt, contiguous(3, 6, 90, 37));
  });

  it('returns empty results and zeros for empty dimensions', () => {
    expect(wasmMatmulF32(contiguous(1, 0, 3, 1), contiguous(1, 3, 4, 2))?.length).toBe(0);
    expect(Array.from(wasmMatmulF32(contiguous(1, 2, 0, 1), contiguous(1, 0, 2, 2)) ?? [])).toEqual([0, 0, 0, 0]);
  });

  it('dispatches large float32 matmuls to the kernel and stays within tolerance', () => {
    const a = contiguous(1, 64, 64, 8);
    const b = contiguous(1, 64, 64, 9);
    const viaDispatch = matmulStrided(a, b);
    const reference = matmulStrided(a, b, { wasm: false });
    for (let i = 0; i < reference.length; i++) expect(Math.abs(Number(viaDispatch[i]) - Number(reference[i]))).toBeLessThan(1e-4);
  });
});
