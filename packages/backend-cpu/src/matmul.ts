import { hostArray, type HostArray, type NumberHostArray, type Operand } from '@descent/backend';
import { wasmMatmulF32 } from './wasm/wasm-matmul.js';
import { isSafeAt, readWords, wordsOf, writeSafe } from './words.js';

/**
 * float32 problems with at least this many multiply-adds (m*n*k per batch item) go to the Wasm SIMD kernel:
 * measured on x64 Node 20, the kernel wins from about 12^3 (2x at 16^3, 14x at 64^3, 30x at 1024^3).
 * Below it the JS kernel is as fast or faster (packing and the call cost dominate), and small problems keep its
 * double accumulation, so printed digits of small examples stay as they were.
 */
export const WASM_MATMUL_MIN_MACS = 16 * 16 * 16;

export interface MatmulOptions {
  /** false forces the JS kernel (the tests' reference), true the Wasm kernel at any size (benchmarks); unset, by size. */
  wasm?: boolean;
}

/**
 * Batched matmul straight from strided views: [batch, m, k] x [batch, k, n], in the operands' dtype. float32 and
 * float64 accumulate each output row in double precision (i-k-j order streams rows of `b`), then round once on
 * store (large float32 problems go to the Wasm SIMD kernel instead, accumulating in float32); integer dtypes accumulate in the dtype, wrapping around, as PyTorch's CPU does.
 */
export function matmulStrided(a: Operand<HostArray>, b: Operand<HostArray>, options: MatmulOptions = {}): HostArray {
  if (a.dtype === 'float32' && options.wasm !== false) {
    const [, m, k] = a.view.shape;
    if (options.wasm === true || m * k * b.view.shape[2] >= WASM_MATMUL_MIN_MACS) {
      const out = wasmMatmulF32(a, b);
      if (out !== null) return out;
    }
  }
  if (a.dtype === 'int64') return matmulInt64(a, b);
  if (a.dtype !== 'float32' && a.dtype !== 'float64') return matmulInt(a as Operand<NumberHostArray>, b as Operand<NumberHostArray>);
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const [aBatch, aRow, aCol] = a.view.strides;
  const [bBatch, bRow, bCol] = b.view.strides;
  const A = a.buffer as Float32Array | Float64Array;
  const B = b.buffer as Float32Array | Float64Array;
  const out = hostArray(a.dtype, batch * m * n) as Float32Array | Float64Array;
  const acc = new Float64Array(n);
  for (let p = 0; p < batch; p++) {
    const aBase = a.view.offset + p * aBatch;
    const bBase = b.view.offset + p * bBatch;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      const aRowBase = aBase + i * aRow;
      for (let q = 0; q < k; q++) {
        // No skip for a zero: 0 * Inf and 0 * NaN are NaN, as in PyTorch.
        const aiq = A[aRowBase + q * aCol];
        let bp = bBase + q * bRow;
        for (let j = 0; j < n; j++, bp += bCol) acc[j] += aiq * B[bp];
      }
      const o = (p * m + i) * n;
      for (let j = 0; j < n; j++) out[o + j] = acc[j];
    }
  }
  return out;
}

/**
 * int32, int16, int8 and uint8 matmul wraps like int32 arithmetic at every step (a double accumulator would lose
 * bits past 2^53); the store wraps the int32 result to the narrower dtype, whose low bits it shares.
 */
function matmulInt(a: Operand<NumberHostArray>, b: Operand<NumberHostArray>): HostArray {
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const [aBatch, aRow, aCol] = a.view.strides;
  const [bBatch, bRow, bCol] = b.view.strides;
  const out = hostArray(a.dtype, batch * m * n) as NumberHostArray;
  let o = 0;
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      const aBase = a.view.offset + p * aBatch + i * aRow;
      for (let j = 0; j < n; j++, o++) {
        const bBase = b.view.offset + p * bBatch + j * bCol;
        let acc = 0;
        for (let q = 0; q < k; q++) acc = (acc + Math.imul(a.buffer[aBase + q * aCol], b.buffer[bBase + q * bRow])) | 0;
        out[o] = acc;
      }
    }
  }
  return out;
}

/**
 * int64 matmul, exact modulo 2^64: each dot product runs in numbers while every term and partial sum is below
 * 2^53, and in BigInt from the first one that is not. Elements are read as words, straight from the views.
 */
function matmulInt64(a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const bigA = a.buffer as BigInt64Array;
  const bigB = b.buffer as BigInt64Array;
  const A = wordsOf(bigA);
  const B = wordsOf(bigB);
  const [aBatch, aRow, aCol] = a.view.strides;
  const [bBatch, bRow, bCol] = b.view.strides;
  const result = new BigInt64Array(batch * m * n);
  const out = wordsOf(result);
  let o = 0;
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      const aBase = a.view.offset + p * aBatch + i * aRow;
      for (let j = 0; j < n; j++, o++) {
        const bBase = b.view.offset + p * bBatch + j * bCol;
        let acc = 0;
        let q = 0;
        for (; q < k; q++) {
          const x = aBase + q * aCol;
          const y = bBase + q * bRow;
          if (!isSafeAt(A, x) || !isSafeAt(B, y)) break;
          const term = readWords(A, x) * readWords(B, y);
          if (!Number.isSafeInteger(term) || !Number.isSafeInteger(acc + term)) break;
          acc += term;
        }
        if (q === k) {
          writeSafe(out, o, acc + 0);
          continue;
        }
        let big = BigInt(acc);
        for (; q < k; q++) big = BigInt.asIntN(64, big + bigA[aBase + q * aCol] * bigB[bBase + q * bRow]);
        result[o] = big;
      }
    }
  }
  return result;
}
