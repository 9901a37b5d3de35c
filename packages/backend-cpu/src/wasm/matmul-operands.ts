import type { HostArray, Operand } from '@descent/backend';
import type { ALayout } from './matmul-kernel.js';

/**
 * Where a matmul operand sits in the kernel memory and how the kernel walks it (matmul-kernel.ts): `tile` bytes
 * between tiles (A's 4-row tiles, B's 8-column panels), `step` bytes between k steps.
 */
export interface PlacedOperand {
  floats: number;
  tile: number;
  step: number;
  /** Floats from one copied row (or k step) to the next: the source's run, skewed (`skewedPitch`) where asked. */
  pitch: number;
  /** How a tile's rows lie: together per step, or (A only) as whole rows one after another. */
  layout: ALayout;
  /**
   * For a column-major B: its columns are copied (each `kPadded` floats apart) into `rawFloats` more floats, and
   * the pack kernel (pack-kernel.ts) makes the tiles from them on all threads.
   */
  packInKernel?: { kPadded: number; rawFloats: number };
}

/** Floats after a copied-in operand that the last tile's padding lanes may read (values that only reach C's padding). */
export const SLACK = 8;

/**
 * How `rows x k` operand rows are laid out: copied as they are when each k step's `rows` floats are contiguous in
 * the source (a column-major A, a row-major B: one memcpy per step, or one for all), or when each row is (a
 * row-major A, if `rowsInPlace`: one memcpy per row); else packed into tiles of `width` rows, `[k][width]` each.
 * `rowStride` and `kStride` are the source strides of a row and of a step.
 */
export function planOperand(
  rows: number,
  rowsPadded: number,
  k: number,
  rowStride: number,
  kStride: number,
  width: number,
  rowsInPlace: boolean,
  skew = false,
): PlacedOperand {
  const pitchOf = (floats: number): number => (skew ? skewedPitch(floats) : floats);
  if (stepsContiguous(rows, rowStride)) {
    // A skewed pitch only comes with rows a multiple of 128, so the tiles never read the gap after a step's rows.
    const pitch = k > 1 ? pitchOf(rows) : rows;
    return { floats: k * pitch + SLACK, tile: 4 * width, step: 4 * pitch, pitch, layout: 'tiles' };
  }
  if (rowsInPlace && kStride === 1) {
    const pitch = pitchOf(k);
    return { floats: rowsPadded * pitch, tile: 4 * pitch * width, step: 4, pitch, layout: 'rowMajor' };
  }
  if (!rowsInPlace && kStride === 1) {
    // Tiles of kPadded steps (the kernel reads k of them); the copy's last column is followed by 4 floats of slack.
    // The pack kernel reads each column once, so its copy's pitch needs no skew (measured: none gained).
    const kPadded = Math.ceil(k / 4) * 4;
    const packInKernel = { kPadded, rawFloats: rowsPadded * kPadded + 4 };
    return { floats: rowsPadded * kPadded, tile: 4 * kPadded * width, step: 4 * width, pitch: kPadded, layout: 'tiles', packInKernel };
  }
  return { floats: rowsPadded * k, tile: 4 * k * width, step: 4 * width, pitch: k, layout: 'tiles' };
}

/**
 * A pitch of a multiple of 512 bytes puts the kernel's successive reads (B's k steps, A's 4 rows) in the same few
 * cache sets, which evicts the block the blocking keeps: at n = 1024 (4 KB rows) one thread ran at half its 512
 * rate (22.8 against 43.7 GFLOP/s on a 2-core AMD EPYC). One more cache line per row spreads them over all sets.
 */
export function skewedPitch(floats: number): number {
  return floats % 128 === 0 ? floats + 16 : floats;
}

const stepsContiguous = (rows: number, rowStride: number): boolean => rowStride === 1 || rows === 1;

/** Writes the operand (batch item p) into `heap` at float `off` in the layout `plan` chose. */
export function placeOperand(
  x: Operand<HostArray>,
  p: number,
  plan: PlacedOperand,
  rows: number,
  rowsPadded: number,
  k: number,
  rowStride: number,
  kStride: number,
  width: number,
  heap: Float32Array,
  off: number,
  rawOff = 0,
): void {
  const src = x.buffer as Float32Array;
  const base = x.view.offset + p * x.view.strides[0];
  // Padding (rows past `rows`, the slack after the last step) only reaches C's padding, but it is zeroed: memory
  // left by other kernels (int32 indices) reads as subnormal floats, which x86 multiplies 100x slower.
  if (plan.packInKernel !== undefined) {
    const { kPadded, rawFloats } = plan.packInKernel;
    const raw = rawOff;
    if (rowStride === kPadded) heap.set(src.subarray(base, base + (rows - 1) * rowStride + k), raw);
    else for (let r = 0; r < rows; r++) heap.set(src.subarray(base + r * rowStride, base + r * rowStride + k), raw + r * kPadded);
    heap.fill(0, raw + (rows - 1) * kPadded + k, raw + rawFloats);
    return;
  }
  const { pitch } = plan;
  if (plan.layout === 'rowMajor') {
    // The kernel reads each row's first k floats only, never the skew after them.
    if (rowStride === k && pitch === k) heap.set(src.subarray(base, base + rows * k), off);
    else for (let r = 0; r < rows; r++) heap.set(src.subarray(base + r * rowStride, base + r * rowStride + k), off + r * pitch);
    heap.fill(0, off + rows * pitch, off + rowsPadded * pitch);
    return;
  }
  if (stepsContiguous(rows, rowStride)) {
    if (kStride === rows && pitch === rows) heap.set(src.subarray(base, base + k * rows), off);
    else for (let q = 0; q < k; q++) heap.set(src.subarray(base + q * kStride, base + q * kStride + rows), off + q * pitch);
    heap.fill(0, off + (k - 1) * pitch + rows, off + plan.floats);
    return;
  }
  packTiles(src, base, rows, rowsPadded, k, rowStride, kStride, width, heap, off);
}

/**
 * Packs the `rows x k` matrix whose element (r, q) is `src[base + r * rowStride + q * kStride]` into tiles of
 * `width` rows, each `[k][width]` floats, at float `off` of the heap; rows from `rows` to `rowsPadded` are zero.
 * A row-major A packs its rows (width 4), a column-major B its columns (width 8), both reading memory in order.
 */
function packTiles(
  src: Float32Array,
  base: number,
  rows: number,
  rowsPadded: number,
  k: number,
  rowStride: number,
  kStride: number,
  width: number,
  heap: Float32Array,
  off: number,
): void {
  for (let r = 0; r < rowsPadded; r++) {
    const lane = r % width;
    let dst = off + (r - lane) * k + lane;
    if (r >= rows) {
      for (let q = 0; q < k; q++, dst += width) heap[dst] = 0;
      continue;
    }
    for (let q = 0, s = base + r * rowStride; q < k; q++, dst += width, s += kStride) heap[dst] = src[s];
  }
}
