import { WINDOW_LANES } from './gather-kernel.js';
import { kernelEngine, threadsFor, type KernelEngine } from './kernel-engine.js';
import { ensureBytes } from './wasm-memory.js';

/**
 * Gather and scatter-add along the last dim of float32 rows on the Wasm kernels (gather-kernel.ts), rows split
 * across threads. The caller (gather-rows.ts) has collapsed the operands into rows and checked the indices; here
 * the rows are copied into the kernel memory a chunk at a time, the kernel runs, and the result is copied out.
 */

/** Row blocks of a gather or scatter-add: where each row starts in its array, and one index row for all or one each. */
export interface RowBlocks {
  src: Float32Array;
  srcStarts: Int32Array;
  /** Floats per source row. */
  srcWidth: number;
  idx: Int32Array;
  idxStarts: Int32Array;
  /** One index row shared by every row. */
  sharedIndex: boolean;
  rows: number;
  /** Indices per row. */
  width: number;
}

/**
 * Below this many elements the JS loop wins (the copies in and out cost more than the loop saves). Measured on this
 * 2-core Xeon VM, Node 20: a 64 x 19,600 im2col gather 3.5 ms in JS, ~1 ms here; at 16K elements about even.
 */
export const WASM_GATHER_MIN = 1 << 15;

/** Elements from which rows are split across threads: a worker's wake-up (~20 µs) is worth about that many loads. */
const PARALLEL_MIN = 1 << 16;

/** The most kernel memory one chunk of rows takes; larger problems run chunk by chunk. */
const CHUNK_BYTES = 1 << 26;

/** Whether `rows` rows of `starts` follow each other with no gap (`width` apart): one copy instead of one per row. */
function consecutive(starts: Int32Array, width: number, from: number, count: number): boolean {
  return count <= 1 || starts[from + count - 1] - starts[from] === (count - 1) * width;
}

/** Copies rows `from`..`from + count` of `data` (each `width` long, at `starts`) one after another into `heap` at `at`. */
function copyRows(heap: Float32Array | Int32Array, at: number, data: Float32Array | Int32Array, starts: Int32Array, width: number, from: number, count: number): void {
  if (consecutive(starts, width, from, count)) heap.set(data.subarray(starts[from], starts[from] + count * width), at);
  else for (let r = 0; r < count; r++) heap.set(data.subarray(starts[from + r], starts[from + r] + width), at + r * width);
}

/** Splits `count` rows into at most `threads` parts, each [first row, rows]. */
function parts(count: number, threads: number): [number, number][] {
  const n = Math.min(threads, count);
  const out: [number, number][] = [];
  for (let p = 0; p < n; p++) {
    const r0 = Math.floor((p * count) / n);
    out.push([r0, Math.floor(((p + 1) * count) / n) - r0]);
  }
  return out;
}

function run(eng: KernelEngine, kernel: { call: (...args: number[]) => void; index: number }, calls: number[][]): void {
  if (calls.length === 1) kernel.call(...calls[0]);
  else eng.pool?.run(kernel.index, calls);
}

/** `out[r][j] = src[r][idx[r][j]]` into `out` (rows x width); false where there is no Wasm engine or memory. */
export function wasmGatherRows(b: RowBlocks, out: Float32Array): boolean {
  const eng = kernelEngine();
  if (eng === null) return false;
  const { srcWidth, width, rows, sharedIndex } = b;
  const perRow = 4 * (srcWidth + width + (sharedIndex ? 0 : width));
  const chunk = Math.max(1, Math.floor((CHUNK_BYTES - 4 * width) / perRow));
  const indexFloats = sharedIndex ? width : Math.min(chunk, rows) * width;
  const srcFloats = Math.min(chunk, rows) * srcWidth;
  try {
    ensureBytes(eng.memory, 4 * (srcFloats + indexFloats + Math.min(chunk, rows) * width));
  } catch {
    return false;
  }
  const heapF = new Float32Array(eng.memory.buffer);
  const heapI = new Int32Array(eng.memory.buffer);
  const idxAt = srcFloats;
  const outAt = srcFloats + indexFloats;
  if (sharedIndex) heapI.set(b.idx.subarray(b.idxStarts[0], b.idxStarts[0] + width), idxAt);
  const threads = threadsFor(eng, rows * width, PARALLEL_MIN);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const count = Math.min(chunk, rows - r0);
    copyRows(heapF, 0, b.src, b.srcStarts, srcWidth, r0, count);
    if (!sharedIndex) copyRows(heapI, idxAt, b.idx, b.idxStarts, width, r0, count);
    const idxRow = sharedIndex ? 0 : 4 * width;
    const calls = parts(count, threads).map(([p0, n]) => [4 * p0 * srcWidth, 4 * srcWidth, 4 * (idxAt + (sharedIndex ? 0 : p0 * width)), idxRow, 4 * (outAt + p0 * width), width, n, 4 * width]);
    run(eng, eng.gather, calls);
    out.set(heapF.subarray(outAt, outAt + count * width), r0 * width);
  }
  return true;
}

/**
 * Each window's winning entry (window-argmax.ts) into `out` (the int32 words of rows x windows int64), `b.width`
 * entries per row in runs of `window`; false where there is no Wasm engine or memory. The kernel takes windows four
 * at a time, so each row's index is copied in padded to a multiple of four windows (reading entry 0).
 */
export function wasmWindowArgmax(b: RowBlocks, window: number, out: Int32Array): boolean {
  const eng = kernelEngine();
  if (eng === null) return false;
  const { srcWidth, width, rows, sharedIndex } = b;
  const windows = width / window;
  const padded = Math.ceil(windows / WINDOW_LANES) * WINDOW_LANES;
  const paddedWidth = padded * window;
  const perRow = 4 * (srcWidth + 2 * padded + (sharedIndex ? 0 : paddedWidth));
  const chunk = Math.max(1, Math.floor((CHUNK_BYTES - 4 * paddedWidth) / perRow));
  const srcFloats = Math.min(chunk, rows) * srcWidth;
  const indexInts = sharedIndex ? paddedWidth : Math.min(chunk, rows) * paddedWidth;
  try {
    ensureBytes(eng.memory, 4 * (srcFloats + indexInts + 2 * Math.min(chunk, rows) * padded));
  } catch {
    return false;
  }
  const heapF = new Float32Array(eng.memory.buffer);
  const heapI = new Int32Array(eng.memory.buffer);
  const idxAt = srcFloats;
  const outAt = srcFloats + indexInts;
  const placeIndexRow = (row: number, at: number): void => {
    heapI.set(b.idx.subarray(b.idxStarts[row], b.idxStarts[row] + width), at);
    heapI.fill(0, at + width, at + paddedWidth);
  };
  if (sharedIndex) placeIndexRow(0, idxAt);
  const threads = threadsFor(eng, rows * width, PARALLEL_MIN);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const count = Math.min(chunk, rows - r0);
    copyRows(heapF, 0, b.src, b.srcStarts, srcWidth, r0, count);
    if (!sharedIndex) for (let r = 0; r < count; r++) placeIndexRow(r0 + r, idxAt + r * paddedWidth);
    const idxRow = sharedIndex ? 0 : 4 * paddedWidth;
    const calls = parts(count, threads).map(([p0, n]) => [
      4 * p0 * srcWidth, 4 * srcWidth, 4 * (idxAt + (sharedIndex ? 0 : p0 * paddedWidth)), idxRow, 4 * (outAt + 2 * p0 * padded), padded / WINDOW_LANES, window, n,
    ]);
    run(eng, eng.windowArgmax, calls);
    if (padded === windows) out.set(heapI.subarray(outAt, outAt + 2 * count * windows), 2 * r0 * windows);
    else for (let r = 0; r < count; r++) out.set(heapI.subarray(outAt + 2 * r * padded, outAt + 2 * (r * padded + windows)), 2 * (r0 + r) * windows);
  }
  return true;
}

/** `out[r][idx[r][j]] += src[r][j]` into zeroed `out` (rows x outWidth); false where there is no Wasm engine or memory. */
export function wasmScatterAddRows(b: RowBlocks, outWidth: number, out: Float32Array): boolean {
  const eng = kernelEngine();
  if (eng === null) return false;
  const { srcWidth, width, rows, sharedIndex } = b;
  const perRow = 4 * (width + outWidth + (sharedIndex ? 0 : width));
  const chunk = Math.max(1, Math.floor((CHUNK_BYTES - 4 * width) / perRow));
  const srcFloats = Math.min(chunk, rows) * width;
  const indexFloats = sharedIndex ? width : Math.min(chunk, rows) * width;
  try {
    ensureBytes(eng.memory, 4 * (srcFloats + indexFloats + Math.min(chunk, rows) * outWidth));
  } catch {
    return false;
  }
  const heapF = new Float32Array(eng.memory.buffer);
  const heapI = new Int32Array(eng.memory.buffer);
  const idxAt = srcFloats;
  const outAt = srcFloats + indexFloats;
  if (sharedIndex) heapI.set(b.idx.subarray(b.idxStarts[0], b.idxStarts[0] + width), idxAt);
  const threads = threadsFor(eng, rows * width, PARALLEL_MIN);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const count = Math.min(chunk, rows - r0);
    // Only the first `width` values of each source row are added (the index's width).
    if (srcWidth === width) copyRows(heapF, 0, b.src, b.srcStarts, width, r0, count);
    else for (let r = 0; r < count; r++) heapF.set(b.src.subarray(b.srcStarts[r0 + r], b.srcStarts[r0 + r] + width), r * width);
    if (!sharedIndex) copyRows(heapI, idxAt, b.idx, b.idxStarts, width, r0, count);
    heapF.fill(0, outAt, outAt + count * outWidth);
    const idxRow = sharedIndex ? 0 : 4 * width;
    const calls = parts(count, threads).map(([p0, n]) => [4 * p0 * width, 4 * width, 4 * (idxAt + (sharedIndex ? 0 : p0 * width)), idxRow, 4 * (outAt + p0 * outWidth), width, n, 4 * outWidth]);
    run(eng, eng.scatterAdd, calls);
    out.set(heapF.subarray(outAt, outAt + count * outWidth), r0 * outWidth);
  }
  return true;
}
