import { WINDOW_LANES } from './gather-kernel.js';
import { kernelEngine, runCalls, threadsFor, type EngineKernel } from './kernel-engine.js';
import { splitItems } from './wasm-matmul.js';
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

/** Where a chunk's regions lie in the kernel memory (in bytes), for a kernel's arguments. */
interface ChunkRegions {
  src: number;
  idx: number;
  /** Bytes between index rows: 0 for a shared index. */
  idxRow: number;
  out: number;
}

/** How one of the three kernels lays out its rows and calls. */
interface RowJob {
  kernel: EngineKernel<(...args: number[]) => void>;
  /** Floats copied in from each source row (its start). */
  srcCopy: number;
  /** Index entries each row's index takes in the memory (its width, padded with entry 0). */
  indexWidth: number;
  /** Output words each row takes in the memory, and how many of them are copied out. */
  outWidth: number;
  outCopy: number;
  zeroOut: boolean;
  /** The kernel's arguments for `rows` rows at `at`. */
  args(at: ChunkRegions, rows: number): number[];
}

/**
 * Runs `job` over `b`'s rows a chunk at a time: source rows (and per-row indices) copied in, the output zeroed if
 * asked, the kernel on all threads (rows split between them), the output copied into `out`. False where there is
 * no Wasm engine or the memory cannot grow.
 */
function runRows(b: RowBlocks, job: RowJob, out: Float32Array | Int32Array): boolean {
  const eng = kernelEngine();
  if (eng === null) return false;
  const { rows, width, sharedIndex } = b;
  const perRow = job.srcCopy + job.outWidth + (sharedIndex ? 0 : job.indexWidth);
  const chunk = Math.max(1, Math.min(rows, Math.floor((CHUNK_BYTES / 4 - job.indexWidth) / perRow)));
  const srcAt = 0;
  const idxAt = chunk * job.srcCopy;
  const outAt = idxAt + (sharedIndex ? job.indexWidth : chunk * job.indexWidth);
  try {
    ensureBytes(eng.memory, 4 * (outAt + chunk * job.outWidth));
  } catch {
    return false;
  }
  const heapF = new Float32Array(eng.memory.buffer);
  const heapI = new Int32Array(eng.memory.buffer);
  const heapOut = out instanceof Float32Array ? heapF : heapI;
  const placeIndexRow = (row: number, at: number): void => {
    heapI.set(b.idx.subarray(b.idxStarts[row], b.idxStarts[row] + width), at);
    if (job.indexWidth > width) heapI.fill(0, at + width, at + job.indexWidth);
  };
  if (sharedIndex) placeIndexRow(0, idxAt);
  const threads = threadsFor(eng, rows * width, PARALLEL_MIN);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const count = Math.min(chunk, rows - r0);
    if (job.srcCopy === b.srcWidth) copyRows(heapF, srcAt, b.src, b.srcStarts, b.srcWidth, r0, count);
    else for (let r = 0; r < count; r++) heapF.set(b.src.subarray(b.srcStarts[r0 + r], b.srcStarts[r0 + r] + job.srcCopy), srcAt + r * job.srcCopy);
    if (!sharedIndex) for (let r = 0; r < count; r++) placeIndexRow(r0 + r, idxAt + r * job.indexWidth);
    if (job.zeroOut) heapOut.fill(0, outAt, outAt + count * job.outWidth);
    const idxRow = sharedIndex ? 0 : 4 * job.indexWidth;
    const calls = splitItems(count, threads).map(([p0, n]) =>
      job.args({ src: 4 * (srcAt + p0 * job.srcCopy), idx: 4 * (idxAt + (sharedIndex ? 0 : p0 * job.indexWidth)), idxRow, out: 4 * (outAt + p0 * job.outWidth) }, n),
    );
    runCalls(eng, job.kernel, calls);
    if (job.outCopy === job.outWidth) out.set(heapOut.subarray(outAt, outAt + count * job.outWidth), r0 * job.outCopy);
    else for (let r = 0; r < count; r++) out.set(heapOut.subarray(outAt + r * job.outWidth, outAt + r * job.outWidth + job.outCopy), (r0 + r) * job.outCopy);
  }
  return true;
}

/** `out[r][j] = src[r][idx[r][j]]` into `out` (rows x width); false where there is no Wasm engine or memory. */
export function wasmGatherRows(b: RowBlocks, out: Float32Array): boolean {
  const eng = kernelEngine();
  if (eng === null) return false;
  const { srcWidth, width } = b;
  return runRows(b, {
    kernel: eng.gather,
    srcCopy: srcWidth,
    indexWidth: width,
    outWidth: width,
    outCopy: width,
    zeroOut: false,
    args: (at, rows) => [at.src, 4 * srcWidth, at.idx, at.idxRow, at.out, width, rows, 4 * width],
  }, out);
}

/**
 * Each window's winning entry (window-argmax.ts) into `out` (rows x windows int32), `b.width`
 * entries per row in runs of `window`; false where there is no Wasm engine or memory. The kernel takes windows four
 * at a time, so each row's index is copied in padded to a multiple of four windows (reading entry 0).
 */
export function wasmWindowArgmax(b: RowBlocks, window: number, out: Int32Array): boolean {
  const eng = kernelEngine();
  if (eng === null) return false;
  const windows = b.width / window;
  const padded = Math.ceil(windows / WINDOW_LANES) * WINDOW_LANES;
  return runRows(b, {
    kernel: eng.windowArgmax,
    srcCopy: b.srcWidth,
    indexWidth: padded * window,
    outWidth: padded,
    outCopy: windows,
    zeroOut: false,
    args: (at, rows) => [at.src, 4 * b.srcWidth, at.idx, at.idxRow, at.out, padded / WINDOW_LANES, window, rows],
  }, out);
}

/** `out[r][idx[r][j]] += src[r][j]` into zeroed `out` (rows x outWidth); false where there is no Wasm engine or memory. */
export function wasmScatterAddRows(b: RowBlocks, outWidth: number, out: Float32Array): boolean {
  const eng = kernelEngine();
  if (eng === null) return false;
  const { width } = b;
  // Only the first `width` values of each source row are added (the index's width).
  return runRows(b, {
    kernel: eng.scatterAdd,
    srcCopy: width,
    indexWidth: width,
    outWidth,
    outCopy: outWidth,
    zeroOut: true,
    args: (at, rows) => [at.src, 4 * width, at.idx, at.idxRow, at.out, width, rows, 4 * outWidth],
  }, out);
}
