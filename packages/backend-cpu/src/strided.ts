import { hostArray, isContiguous, numelOf, type HostArray, type NumberHostArray, type Operand } from '@descent/backend';
import { asWords, int64Of } from './words.js';

/** Rows at least this long move with one `set` (a memcpy); shorter ones cost less as a loop than a subarray. */
const ROW_MEMCPY_MIN = 256;

/** A new array of `numel` elements of a dtype held in numbers (every dtype but int64). */
export function numberArray(x: Operand<NumberHostArray>, numel: number): NumberHostArray {
  return hostArray(x.dtype, numel) as NumberHostArray;
}

/**
 * Returns the operand's elements in row-major order as a flat array: a zero-copy subarray when the view is
 * already contiguous, otherwise a gathered copy. Kernels then only need contiguous loops.
 */
export function contiguousData(x: Operand<NumberHostArray>): NumberHostArray {
  const { shape, offset } = x.view;
  const numel = numelOf(shape);
  if (isContiguous(x.view)) return x.buffer.subarray(offset, offset + numel);
  const out = numberArray(x, numel);
  gatherStrided(x.buffer, x.view.shape, x.view.strides, offset, out);
  return out;
}

/** `contiguousData` for any dtype: an int64 operand is gathered as words and comes back as a BigInt64Array. */
export function contiguousAny(x: Operand<HostArray>): HostArray {
  if (x.buffer instanceof BigInt64Array) return int64Of(contiguousData(asWords(x)) as Int32Array);
  return contiguousData(x as Operand<NumberHostArray>);
}

/**
 * The operand's elements in row-major order starting at `flatStart(x)`: the buffer itself when the view is
 * contiguous (no allocation: the hot path of small tensors), otherwise a gathered copy starting at 0.
 */
export function flatData(x: Operand<NumberHostArray>): NumberHostArray {
  if (isContiguous(x.view)) return x.buffer;
  const out = numberArray(x, numelOf(x.view.shape));
  gatherStrided(x.buffer, x.view.shape, x.view.strides, x.view.offset, out);
  return out;
}

/** Where `flatData(x)` starts. */
export function flatStart(x: Operand<NumberHostArray>, data: NumberHostArray): number {
  return data === x.buffer ? x.view.offset : 0;
}

/** Copies a strided view into the flat `out`, walking the index with an odometer (no per-element division). */
export function gatherStrided(
  src: NumberHostArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  out: NumberHostArray,
): void {
  const rank = shape.length;
  const numel = out.length;
  if (numel === 0) return;
  if (rank === 0) {
    out[0] = src[offset];
    return;
  }
  const last = rank - 1;
  const lastSize = shape[last];
  const lastStride = strides[last];
  const rows = lastStride === 1 && lastSize >= ROW_MEMCPY_MIN && src.constructor === out.constructor;
  const index = new Array<number>(rank).fill(0);
  let base = offset;
  for (let o = 0; o < numel; ) {
    let p = base;
    if (rows) {
      out.set(src.subarray(p, p + lastSize) as never, o);
      o += lastSize;
    } else for (let j = 0; j < lastSize; j++, p += lastStride) out[o++] = src[p];
    // Advance the odometer over the leading dims.
    let d = last - 1;
    for (; d >= 0; d--) {
      index[d]++;
      base += strides[d];
      if (index[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0) break;
  }
}

/** Writes the flat `values` (row-major) through a strided view of `dst`. */
export function scatterStrided(
  values: ArrayLike<number>,
  valuesOffset: number,
  dst: NumberHostArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): void {
  const rank = shape.length;
  const numel = numelOf(shape);
  if (numel === 0) return;
  if (rank === 0) {
    dst[offset] = values[valuesOffset];
    return;
  }
  const last = rank - 1;
  const lastSize = shape[last];
  const lastStride = strides[last];
  if (rank === 1 && lastStride === 1) {
    for (let j = 0; j < lastSize; j++) dst[offset + j] = values[valuesOffset + j];
    return;
  }
  const rows = lastStride === 1 && lastSize >= ROW_MEMCPY_MIN && values.constructor === dst.constructor;
  const index = new Array<number>(rank).fill(0);
  let base = offset;
  for (let o = valuesOffset, end = valuesOffset + numel; o < end; ) {
    let p = base;
    if (rows) {
      dst.set((values as NumberHostArray).subarray(o, o + lastSize) as never, p);
      o += lastSize;
    } else for (let j = 0; j < lastSize; j++, p += lastStride) dst[p] = values[o++];
    let d = last - 1;
    for (; d >= 0; d--) {
      index[d]++;
      base += strides[d];
      if (index[d] < shape[d]) break;
      base -= strides[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0) break;
  }
}

/** True when every stride is 0: the operand is one value broadcast to its whole shape. */
export function isBroadcastScalar(x: Operand<HostArray>): boolean {
  const strides = x.view.strides;
  for (let i = 0; i < strides.length; i++) if (strides[i] !== 0 && x.view.shape[i] !== 1) return false;
  return true;
}
