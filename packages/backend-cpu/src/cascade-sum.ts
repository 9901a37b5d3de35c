/**
 * The four summation orders of PyTorch 1.13's CPU `cascade_sum` (aten/src/ATen/native/cpu/SumKernel.cpp), redone
 * for TypedArrays: accumulators are elements of a Float32Array (float32 sums: every `+=` rounds to float32, as
 * the AVX2 kernel's float lanes do) or of a Float64Array (float64 sums). `LANES` is the width of a
 * `Vectorized<float>` in an AVX2 build (4 for double). See SUM-ORDER.md for which orders are matched.
 *
 * Element `(i, k, l)` of a multi-row sum lives at `base + i * rowStride + k * colStride + l`: row `i` is summed,
 * column `k` and lane `l` (`l < lanes`) index independent accumulators.
 */

export type FloatArray = Float32Array | Float64Array;

/** PyTorch's `multi_row_sum` keeps four levels of partial sums. */
const LEVELS = 4;
/** At most 4 columns of 8 lanes are summed side by side. */
const MAX_WIDTH = 32;
/** Float32 rows shorter than this (16 cascade steps of 4 vectors of 8) need no cascade step: `shortVectorRowSum`. */
export const SHORT_ROW = 16 * 4 * 8;

/** Scratch accumulators of one precision: `acc` holds `LEVELS` levels of `MAX_WIDTH` sums, `one` a scalar sum. */
export interface SumScratch {
  readonly acc: FloatArray;
  readonly one: FloatArray;
  /** Elements per vector of this dtype in PyTorch's AVX2 build: 8 floats, 4 doubles. */
  readonly lanes: number;
}

export const FLOAT32_SCRATCH: SumScratch = {
  acc: new Float32Array(LEVELS * MAX_WIDTH),
  one: new Float32Array(1),
  lanes: 8,
};

export const FLOAT64_SCRATCH: SumScratch = {
  acc: new Float64Array(LEVELS * MAX_WIDTH),
  one: new Float64Array(1),
  lanes: 4,
};

/** `utils::CeilLog2`: 1 for x <= 2, else ceil(log2(x)). */
function ceilLog2(x: number): number {
  return x <= 2 ? 1 : 32 - Math.clz32(x - 1);
}

/**
 * Sums `size` rows of `ncols * lanes` accumulators with PyTorch's cascade: rows go into level 0 in steps of
 * `2^p` (p = max(4, ceilLog2(size) / 4)); after each step level j-1 is added into level j and cleared, going one
 * level further only when the row count is a multiple of the next level's span. The result is left in
 * `acc[0 .. ncols * lanes)`.
 */
function multiRowSum(
  x: FloatArray,
  base: number,
  rowStride: number,
  colStride: number,
  ncols: number,
  lanes: number,
  size: number,
  acc: FloatArray,
): void {
  if (lanes === 8 && colStride === 8 && ncols === 4 && acc instanceof Float32Array && x instanceof Float32Array) {
    return multiRowSum32(x, base, rowStride, size, acc);
  }
  const width = ncols * lanes;
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / LEVELS));
  const levelStep = 1 << levelPower;
  if (size < levelStep) {
    // No full step: only level 0 is used (adding the other levels' zeros changes nothing, as a sum started at
    // +0 is never -0).
    acc.fill(0, 0, width);
    addRows(x, base, rowStride, colStride, ncols, lanes, size, acc);
    return;
  }
  acc.fill(0, 0, LEVELS * width);
  const levelMask = levelStep - 1;
  let i = 0;
  let p = base;
  while (i + levelStep <= size) {
    addRows(x, p, rowStride, colStride, ncols, lanes, levelStep, acc);
    p += levelStep * rowStride;
    i += levelStep;
    for (let level = 1; level < LEVELS; level++) {
      const to = level * width;
      const from = to - width;
      for (let w = 0; w < width; w++) {
        acc[to + w] += acc[from + w];
        acc[from + w] = 0;
      }
      if ((i & (levelMask << (level * levelPower))) !== 0) break;
    }
  }
  addRows(x, p, rowStride, colStride, ncols, lanes, size - i, acc);
  for (let level = 1; level < LEVELS; level++) {
    const from = level * width;
    for (let w = 0; w < width; w++) acc[w] += acc[from + w];
  }
}

/**
 * `multiRowSum` of 32 contiguous float32 accumulators (4 vectors of 8), the hot loop of long sums: level 0 lives
 * in locals, 8 accumulators at a time, and is added into level 1 at the end of each step.
 */
function multiRowSum32(x: Float32Array, base: number, rowStride: number, size: number, acc: Float32Array): void {
  const levelPower = Math.max(4, Math.floor(ceilLog2(size) / LEVELS));
  const levelStep = 1 << levelPower;
  acc.fill(0, 0, LEVELS * 32);
  const mask1 = (levelStep - 1) << levelPower;
  const mask2 = mask1 << levelPower;
  let i = 0;
  let p = base;
  for (; i + levelStep <= size; i += levelStep, p += levelStep * rowStride) {
    for (let g = 0; g < 32; g += 8) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let a4 = 0;
      let a5 = 0;
      let a6 = 0;
      let a7 = 0;
      for (let j = 0, q = p + g; j < levelStep; j++, q += rowStride) {
        a0 = fround(a0 + x[q]);
        a1 = fround(a1 + x[q + 1]);
        a2 = fround(a2 + x[q + 2]);
        a3 = fround(a3 + x[q + 3]);
        a4 = fround(a4 + x[q + 4]);
        a5 = fround(a5 + x[q + 5]);
        a6 = fround(a6 + x[q + 6]);
        a7 = fround(a7 + x[q + 7]);
      }
      const l1 = 32 + g;
      acc[l1] += a0;
      acc[l1 + 1] += a1;
      acc[l1 + 2] += a2;
      acc[l1 + 3] += a3;
      acc[l1 + 4] += a4;
      acc[l1 + 5] += a5;
      acc[l1 + 6] += a6;
      acc[l1 + 7] += a7;
    }
    if (((i + levelStep) & mask1) !== 0) continue;
    for (let w = 32; w < 64; w++) {
      acc[w + 32] += acc[w];
      acc[w] = 0;
    }
    if (((i + levelStep) & mask2) !== 0) continue;
    for (let w = 64; w < 96; w++) {
      acc[w + 32] += acc[w];
      acc[w] = 0;
    }
  }
  addRows32(x, p, rowStride, size - i, acc);
  for (let w = 0; w < 32; w++) acc[w] = fround(fround(fround(acc[w] + acc[w + 32]) + acc[w + 64]) + acc[w + 96]);
}

/** Level 0 += `rows` rows of `ncols` columns of `lanes` contiguous elements. */
function addRows(
  x: FloatArray,
  p: number,
  rowStride: number,
  colStride: number,
  ncols: number,
  lanes: number,
  rows: number,
  acc: FloatArray,
): void {
  if (acc instanceof Float32Array) {
    if (lanes === 8 && colStride === 8 && ncols === 4) return addRows32(x, p, rowStride, rows, acc);
    if (lanes === 1 && ncols === 4) return addRows4(x, p, rowStride, colStride, rows, acc);
  }
  for (let i = 0; i < rows; i++, p += rowStride) {
    for (let k = 0, q = p, a = 0; k < ncols; k++, q += colStride) for (let l = 0; l < lanes; l++, a++) acc[a] += x[q + l];
  }
}

const fround = Math.fround;

/** `addRows` for 32 contiguous float32 accumulators, 8 at a time in locals (each add rounds to float32). */
function addRows32(x: FloatArray, p: number, rowStride: number, rows: number, acc: Float32Array): void {
  for (let g = 0; g < 32; g += 8) {
    let a0 = acc[g];
    let a1 = acc[g + 1];
    let a2 = acc[g + 2];
    let a3 = acc[g + 3];
    let a4 = acc[g + 4];
    let a5 = acc[g + 5];
    let a6 = acc[g + 6];
    let a7 = acc[g + 7];
    for (let j = 0, q = p + g; j < rows; j++, q += rowStride) {
      a0 = fround(a0 + x[q]);
      a1 = fround(a1 + x[q + 1]);
      a2 = fround(a2 + x[q + 2]);
      a3 = fround(a3 + x[q + 3]);
      a4 = fround(a4 + x[q + 4]);
      a5 = fround(a5 + x[q + 5]);
      a6 = fround(a6 + x[q + 6]);
      a7 = fround(a7 + x[q + 7]);
    }
    acc[g] = a0;
    acc[g + 1] = a1;
    acc[g + 2] = a2;
    acc[g + 3] = a3;
    acc[g + 4] = a4;
    acc[g + 5] = a5;
    acc[g + 6] = a6;
    acc[g + 7] = a7;
  }
}

/** `addRows` for 4 float32 scalar accumulators `colStride` apart. */
function addRows4(x: FloatArray, p: number, rowStride: number, colStride: number, rows: number, acc: Float32Array): void {
  let a0 = acc[0];
  let a1 = acc[1];
  let a2 = acc[2];
  let a3 = acc[3];
  const c2 = 2 * colStride;
  const c3 = 3 * colStride;
  for (let j = 0; j < rows; j++, p += rowStride) {
    a0 = fround(a0 + x[p]);
    a1 = fround(a1 + x[p + colStride]);
    a2 = fround(a2 + x[p + c2]);
    a3 = fround(a3 + x[p + c3]);
  }
  acc[0] = a0;
  acc[1] = a1;
  acc[2] = a2;
  acc[3] = a3;
}

/**
 * PyTorch's `row_sum`: `size` vectors of `lanes` elements, `stride` apart, seen as rows of 4 (an ILP factor of
 * 4) and cascaded; the 0-3 vectors left over go into the first partial, then partials 1, 2, 3 are added to it.
 * The result is left in `acc[0 .. lanes)`.
 */
function rowSum(x: FloatArray, base: number, stride: number, size: number, lanes: number, acc: FloatArray): void {
  const sizeIlp = Math.floor(size / 4);
  multiRowSum(x, base, 4 * stride, stride, 4, lanes, sizeIlp, acc);
  for (let i = sizeIlp * 4, p = base + i * stride; i < size; i++, p += stride) {
    for (let l = 0; l < lanes; l++) acc[l] += x[p + l];
  }
  for (let k = 1; k < 4; k++) for (let l = 0; l < lanes; l++) acc[l] += acc[k * lanes + l];
}

/** `row_sum` of single elements (`lanes` = 1), returning the sum; short float32 rows skip the cascade's setup. */
export function scalarRowSum(x: FloatArray, base: number, stride: number, size: number, acc: FloatArray): number {
  if (size >= 64 || !(acc instanceof Float32Array)) {
    rowSum(x, base, stride, size, 1, acc);
    return acc[0];
  }
  // Fewer than 16 rows of 4: no cascade step, so four running sums, the leftovers into the first.
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  const sizeIlp = size >> 2;
  let p = base;
  for (let i = 0; i < sizeIlp; i++, p += 4 * stride) {
    a0 = fround(a0 + x[p]);
    a1 = fround(a1 + x[p + stride]);
    a2 = fround(a2 + x[p + 2 * stride]);
    a3 = fround(a3 + x[p + 3 * stride]);
  }
  for (let i = sizeIlp * 4; i < size; i++, p += stride) a0 = fround(a0 + x[p]);
  return fround(fround(fround(a0 + a1) + a2) + a3);
}

/** A 2-D block of the reduction, as PyTorch's loop sees it: dim 0 is reduced, dim 1 walks the outputs. */
export interface Block {
  /** Input and output positions of element (0, 0). */
  inBase: number;
  outBase: number;
  size0: number;
  size1: number;
  inStride0: number;
  inStride1: number;
  outStride1: number;
}

/** `vectorized_inner_sum`: each of `size1` contiguous rows is cascaded in vectors; the scalar tail comes first. */
export function vectorizedInnerSum(x: FloatArray, b: Block, out: FloatArray, s: SumScratch): void {
  const { acc, one, lanes } = s;
  const vecSize = Math.floor(b.size0 / lanes);
  const short = acc instanceof Float32Array && b.size0 < SHORT_ROW;
  for (let j = 0; j < b.size1; j++) {
    const row = b.inBase + j * b.inStride1;
    if (short) {
      out[b.outBase + j * b.outStride1] += shortVectorRowSum(x, row, b.size0);
      continue;
    }
    rowSum(x, row, lanes, vecSize, lanes, acc);
    one[0] = 0;
    for (let k = vecSize * lanes; k < b.size0; k++) one[0] += x[row + k];
    for (let l = 0; l < lanes; l++) one[0] += acc[l];
    out[b.outBase + j * b.outStride1] += one[0];
  }
}

/**
 * `vectorizedInnerSum` of one float32 row of 8 to 511 elements: fewer than 16 rows of 4 vectors, so no cascade
 * step. Each lane's four running sums are independent of the other lanes', so one lane at a time, in locals.
 */
export function shortVectorRowSum(x: FloatArray, row: number, size: number): number {
  const vecSize = size >> 3;
  const sizeIlp = vecSize >> 2;
  let total = 0;
  for (let k = vecSize * 8; k < size; k++) total = fround(total + x[row + k]);
  for (let l = 0; l < 8; l++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let q = row + l;
    for (let i = 0; i < sizeIlp; i++, q += 32) {
      a0 = fround(a0 + x[q]);
      a1 = fround(a1 + x[q + 8]);
      a2 = fround(a2 + x[q + 16]);
      a3 = fround(a3 + x[q + 24]);
    }
    for (let v = sizeIlp * 4; v < vecSize; v++, q += 8) a0 = fround(a0 + x[q]);
    total = fround(total + fround(fround(fround(a0 + a1) + a2) + a3));
  }
  return total;
}

/**
 * `vectorized_outer_sum`: the outputs are contiguous in the input. Groups of 4 vectors (32 floats) are cascaded
 * over all rows at once, then single vectors with `row_sum`, then the last outputs one by one.
 */
export function vectorizedOuterSum(x: FloatArray, b: Block, out: FloatArray, s: SumScratch): void {
  const { acc, lanes } = s;
  const os = b.outStride1;
  let j = 0;
  for (; j + 4 * lanes <= b.size1; j += 4 * lanes) {
    multiRowSum(x, b.inBase + j, b.inStride0, lanes, 4, lanes, b.size0, acc);
    for (let w = 0; w < 4 * lanes; w++) out[b.outBase + (j + w) * os] += acc[w];
  }
  for (; j + lanes <= b.size1; j += lanes) {
    rowSum(x, b.inBase + j, b.inStride0, b.size0, lanes, acc);
    for (let l = 0; l < lanes; l++) out[b.outBase + (j + l) * os] += acc[l];
  }
  for (; j < b.size1; j++) out[b.outBase + j * os] += scalarRowSum(x, b.inBase + j, b.inStride0, b.size0, acc);
}

/** `scalar_inner_sum`: each output is one scalar `row_sum` along dim 0. */
export function scalarInnerSum(x: FloatArray, b: Block, out: FloatArray, s: SumScratch): void {
  const acc = s.acc;
  for (let j = 0; j < b.size1; j++) {
    out[b.outBase + j * b.outStride1] += scalarRowSum(x, b.inBase + j * b.inStride1, b.inStride0, b.size0, acc);
  }
}

/** `scalar_outer_sum`: outputs in groups of 4 cascaded together over all rows, the last 0-3 with `row_sum`. */
export function scalarOuterSum(x: FloatArray, b: Block, out: FloatArray, s: SumScratch): void {
  const acc = s.acc;
  const os = b.outStride1;
  let j = 0;
  for (; j + 3 < b.size1; j += 4) {
    multiRowSum(x, b.inBase + j * b.inStride1, b.inStride0, b.inStride1, 4, 1, b.size0, acc);
    for (let k = 0; k < 4; k++) out[b.outBase + (j + k) * os] += acc[k];
  }
  for (; j < b.size1; j++) out[b.outBase + j * os] += scalarRowSum(x, b.inBase + j * b.inStride1, b.inStride0, b.size0, acc);
}
