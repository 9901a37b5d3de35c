import { hostArray, type HostArray, type Operand, type View } from '@descent/backend';
import { outputArray } from './output-array.js';
import { HI, LO, wordsOf } from './words.js';
import { WASM_GATHER_MIN, wasmGatherRows, wasmScatterAddRows } from './wasm/wasm-gather.js';

/**
 * Fast paths of gather and scatterAdd along the last dim, for the shapes that window ops (convolution's im2col,
 * pooling), max(dim)'s gradient and embedding lookups produce: the leading dims collapse into rows (contiguous
 * rows, or one row broadcast to all: row stride 0), an int64 or int32 index, and float32 values. The indices are
 * checked in one pass before the tight loop; the values and their order are the generic loop's. Anything else
 * returns null and takes the generic path.
 */

/**
 * A view as `rows` rows of `width` contiguous elements: where each row starts (any strides over the leading dims,
 * 0 included), or null where the last dim is not contiguous.
 */
export function asRows(v: View): { rows: number; width: number; starts: Int32Array; broadcast: boolean } | null {
  const rank = v.shape.length;
  if (rank === 0 || (v.strides[rank - 1] !== 1 && v.shape[rank - 1] > 1)) return null;
  const width = v.shape[rank - 1];
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= v.shape[d];
  const starts = new Int32Array(rows);
  const coord = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let start = v.offset;
  for (let r = 0; r < rows; r++) {
    starts[r] = start;
    // Odometer over the leading dims, last fastest.
    for (let d = rank - 2; d >= 0; d--) {
      start += v.strides[d];
      if (++coord[d] < v.shape[d]) break;
      start -= v.strides[d] * v.shape[d];
      coord[d] = 0;
    }
  }
  // One row broadcast to all: every leading dim has stride 0 (or size 1).
  const broadcast = v.shape.slice(0, -1).every((size, d) => size === 1 || v.strides[d] === 0);
  return { rows, width, starts, broadcast };
}

/** Equal sizes in every dim but the last (the dim gathered or scattered along). */
function sameLeading(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let d = 0; d < a.length - 1; d++) if (a[d] !== b[d]) return false;
  return true;
}

interface RowIndex {
  idx: Int32Array;
  /** Where each row's indices start in `idx`. */
  starts: Int32Array;
}

/**
 * Scratch for narrowed indices: they live only inside one op, and a fresh array per op cost more than the
 * narrowing. It grows up to SCRATCH_MAX elements (16 MB); a larger index gets an array of its own.
 */
let scratch = new Int32Array(0);
const SCRATCH_MAX = 1 << 22;

function scratchOf(length: number): Int32Array {
  if (length > SCRATCH_MAX) return new Int32Array(length);
  if (scratch.length < length) scratch = new Int32Array(Math.min(SCRATCH_MAX, Math.max(length, 2 * scratch.length)));
  return scratch;
}

/**
 * An int64 index's rows narrowed to int32 (into scratch memory valid until the next call), each row starting at
 * `row * width`; null if a value lies outside int32, or outside [0, size) (the caller then checks and reports it).
 */
function narrowRows(w: Int32Array, distinct: Int32Array, width: number, size: number): Int32Array | null {
  const idx = scratchOf(distinct.length * width);
  // Two words per element; an element fits when its high word is its low word's sign and [0, size) holds it.
  const [lo, hi] = [LO, HI];
  let bad = 0;
  for (let n = 0, o = 0; n < distinct.length; n++) {
    for (let e = 2 * distinct[n], end = e + 2 * width; e < end; e += 2, o++) {
      const v = w[e + lo];
      bad |= (w[e + hi] ^ (v >> 31)) | (v >>> 0 >= size ? 1 : 0);
      idx[o] = v;
    }
  }
  return bad === 0 ? idx : null;
}

/**
 * The index as checked int32 values: int32 as it is, int64 narrowed (a broadcast row once); null for an int64
 * value outside int32, which the generic loop reports with its exact value. Throws PyTorch's error for an index
 * outside [0, size).
 */
export function rowIndex(index: Operand<HostArray>, width: number, starts: Int32Array, broadcast: boolean, dim: number, size: number): RowIndex | null {
  // A row broadcast to all is narrowed and checked once.
  const distinct = broadcast ? starts.subarray(0, Math.min(1, starts.length)) : starts;
  if (index.buffer instanceof BigInt64Array) {
    const idx = narrowRows(wordsOf(index.buffer), distinct, width, size);
    if (idx !== null) {
      const narrowed = new Int32Array(starts.length);
      if (!broadcast) for (let n = 0; n < narrowed.length; n++) narrowed[n] = n * width;
      return { idx, starts: narrowed };
    }
    // A value outside int32 goes to the generic loop; one inside int32 but out of range is reported below.
    const w = wordsOf(index.buffer);
    for (const start of distinct) for (let e = start; e < start + width; e++) if (w[2 * e + HI] !== w[2 * e + LO] >> 31) return null;
    for (const start of distinct) for (let e = start; e < start + width; e++) checkInRange(w[2 * e + LO], dim, size);
    return null;
  }
  if (!(index.buffer instanceof Int32Array)) return null;
  const idx = index.buffer;
  for (const base of distinct) for (let j = 0; j < width; j++) checkInRange(idx[base + j], dim, size);
  return { idx, starts };
}

function checkInRange(i: number, dim: number, size: number): void {
  // One unsigned compare catches negative and too-large indices alike.
  if (i >>> 0 >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
}

/**
 * The JS gather: each index checked as it is read (for an int32 index this is the only check; a separate pass cost as
 * much as the picks), as `rowIndex` already did for a narrowed int64 one.
 */
function pickRows(src: Float32Array, srcStarts: Int32Array, size: number, idx: Int32Array, idxStarts: Int32Array, rows: number, width: number, dim: number): Float32Array {
  const out = outputArray('float32', rows * width) as Float32Array;
  for (let n = 0, o = 0; n < rows; n++) {
    const xBase = srcStarts[n];
    for (let e = idxStarts[n], end = e + width; e < end; e++, o++) {
      const i = idx[e];
      if (i >>> 0 >= size) checkInRange(i, dim, size);
      out[o] = src[xBase + i];
    }
  }
  return out;
}

/** `out[r][j] = x[r][index[r][j]]` along the last dim, for float32 `x`. */
export function gatherRows(x: Operand<HostArray>, dim: number, index: Operand<HostArray>): HostArray | null {
  const rank = x.view.shape.length;
  if (dim !== rank - 1 || !(x.buffer instanceof Float32Array)) return null;
  const xRows = asRows(x.view);
  const iRows = asRows(index.view);
  if (xRows === null || iRows === null || !sameLeading(x.view.shape, index.view.shape)) return null;
  const { rows, width } = iRows;
  const src = x.buffer;
  // The Wasm kernel copies whole source rows in: it pays where each row is read more than once (im2col), not for picks.
  const wasm = rows * width >= WASM_GATHER_MIN && width >= xRows.width;
  if (!wasm && index.buffer instanceof Int32Array) return pickRows(src, xRows.starts, xRows.width, index.buffer, iRows.starts, rows, width, dim);
  const checked = rowIndex(index, width, iRows.starts, iRows.broadcast, dim, xRows.width);
  if (checked === null) return null;
  const { idx, starts } = checked;
  if (wasm) {
    const out = outputArray('float32', rows * width) as Float32Array;
    const blocks = { src, srcStarts: xRows.starts, srcWidth: xRows.width, idx, idxStarts: starts, sharedIndex: iRows.broadcast, rows, width };
    if (wasmGatherRows(blocks, out)) return out;
  }
  return pickRows(src, xRows.starts, xRows.width, idx, starts, rows, width, dim);
}

/** The JS scatter-add into zeros, each index checked as it is read (the output is fresh: a bad one discards it). */
function addAtRows(values: Float32Array, srcStarts: Int32Array, idx: Int32Array, idxStarts: Int32Array, rows: number, width: number, size: number, dim: number): Float32Array {
  const out = hostArray('float32', rows * size) as Float32Array;
  for (let n = 0; n < rows; n++) {
    const vBase = srcStarts[n];
    const oBase = n * size;
    for (let j = 0, e = idxStarts[n]; j < width; j++, e++) {
      const i = idx[e];
      if (i >>> 0 >= size) checkInRange(i, dim, size);
      out[oBase + i] += values[vBase + j]; // float32 addition, as the generic loop does
    }
  }
  return out;
}

/** Zeros of `shape`, then `out[r][index[r][j]] += src[r][j]` along the last dim in index order, for float32 `src`. */
export function scatterAddRows(
  shape: readonly number[],
  dim: number,
  index: Operand<HostArray>,
  src: Operand<HostArray>,
): HostArray | null {
  const rank = shape.length;
  if (dim !== rank - 1 || !(src.buffer instanceof Float32Array)) return null;
  const iRows = asRows(index.view);
  const sRows = asRows(src.view);
  if (iRows === null || sRows === null || sRows.width < iRows.width) return null;
  if (!sameLeading(shape, index.view.shape) || !sameLeading(shape, src.view.shape)) return null;
  const { rows, width } = iRows;
  const size = shape[rank - 1];
  const values = src.buffer;
  // Likewise it zeroes and copies out whole output rows: it pays where many values land in each (col2im).
  const wasm = rows * width >= WASM_GATHER_MIN && width >= size;
  if (!wasm && index.buffer instanceof Int32Array) return addAtRows(values, sRows.starts, index.buffer, iRows.starts, rows, width, size, dim);
  const checked = rowIndex(index, width, iRows.starts, iRows.broadcast, dim, size);
  if (checked === null) return null;
  const { idx, starts } = checked;
  if (wasm) {
    const out = hostArray('float32', rows * size) as Float32Array;
    const blocks = { src: values, srcStarts: sRows.starts, srcWidth: sRows.width, idx, idxStarts: starts, sharedIndex: iRows.broadcast, rows, width };
    if (wasmScatterAddRows(blocks, size, out)) return out;
  }
  return addAtRows(values, sRows.starts, idx, starts, rows, width, size, dim);
}
