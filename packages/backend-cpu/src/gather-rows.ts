import { hostArray, type HostArray, type NumberHostArray, type Operand } from '@descent/backend';
import { HI, LO, wordsOf } from './words.js';

/**
 * Fast paths of gather and scatterAdd for the shape that window ops (convolution's im2col, pooling) and embedding
 * lookups produce: rank 2, along dim 1, an int64 or int32 index whose rows are contiguous (often one row broadcast
 * to all: row stride 0), and a float32 operand with contiguous rows. One tight loop instead of the generic one's per-element
 * coordinate arithmetic and index copy; the same values, in the same order. Anything else returns null.
 */

/**
 * The index as int32 values with the operand's offset and row stride: int32 as it is, int64 narrowed (a broadcast
 * row once); null for an int64 value outside int32, which the generic loop reports with its exact value.
 */
function rowIndex(index: Operand<HostArray>): { idx: Int32Array; offset: number; rowStride: number } | null {
  const v = index.view;
  if (v.shape.length !== 2 || v.strides[1] !== 1) return null;
  if (index.buffer instanceof Int32Array) return { idx: index.buffer, offset: v.offset, rowStride: v.strides[0] };
  if (!(index.buffer instanceof BigInt64Array)) return null;
  const w = wordsOf(index.buffer);
  const rows = v.strides[0] === 0 ? 1 : v.shape[0];
  const width = v.shape[1];
  const idx = new Int32Array(rows * width);
  for (let n = 0; n < rows; n++) {
    for (let j = 0; j < width; j++) {
      const e = v.offset + n * v.strides[0] + j;
      const lo = w[2 * e + LO];
      if (w[2 * e + HI] !== lo >> 31) return null;
      idx[n * width + j] = lo;
    }
  }
  return { idx, offset: 0, rowStride: v.strides[0] === 0 ? 0 : width };
}

function outOfBounds(i: number, size: number): never {
  throw new RangeError(`index ${i} is out of bounds for dimension 1 with size ${size}`);
}

/** `out[n][j] = x[n][index[n][j]]` for a float32 `x` [N, S] with contiguous rows. */
export function gatherRows(x: Operand<HostArray>, dim: number, index: Operand<HostArray>): HostArray | null {
  if (dim !== 1 || !(x.buffer instanceof Float32Array) || x.view.strides[1] !== 1 || x.view.shape.length !== 2) return null;
  const rowIdx = rowIndex(index);
  if (rowIdx === null) return null;
  const { idx, offset, rowStride } = rowIdx;
  const [rows, width] = index.view.shape;
  const size = x.view.shape[1];
  const src = x.buffer;
  const out = hostArray('float32', rows * width) as Float32Array;
  for (let n = 0; n < rows; n++) {
    const xBase = x.view.offset + n * x.view.strides[0];
    const iBase = offset + n * rowStride;
    const oBase = n * width;
    for (let j = 0; j < width; j++) {
      const i = idx[iBase + j];
      // One unsigned compare catches negative and too-large indices alike.
      if (i >>> 0 >= size) outOfBounds(i, size);
      out[oBase + j] = src[xBase + i];
    }
  }
  return out;
}

/** Zeros of [N, S], then `out[n][index[n][j]] += src[n][j]` in index order, for a float32 `src` with contiguous rows. */
export function scatterAddRows(
  shape: readonly number[],
  dim: number,
  index: Operand<HostArray>,
  src: Operand<HostArray>,
): HostArray | null {
  if (dim !== 1 || shape.length !== 2 || !(src.buffer instanceof Float32Array) || src.view.strides[1] !== 1) return null;
  const rowIdx = rowIndex(index);
  if (rowIdx === null) return null;
  const { idx, offset, rowStride } = rowIdx;
  const [rows, width] = index.view.shape;
  if (src.view.shape[0] !== rows || src.view.shape[1] !== width) return null;
  const size = shape[1];
  const values = src.buffer;
  const out = hostArray('float32', rows * size) as NumberHostArray;
  for (let n = 0; n < rows; n++) {
    const vBase = src.view.offset + n * src.view.strides[0];
    const iBase = offset + n * rowStride;
    const oBase = n * size;
    for (let j = 0; j < width; j++) {
      const i = idx[iBase + j];
      if (i >>> 0 >= size) outOfBounds(i, size);
      // A float32 store rounds the double sum of two floats: float32 addition, as the generic loop does.
      out[oBase + i] += values[vBase + j];
    }
  }
  return out;
}
