import type { HostArray, Operand } from '@descent/backend';
import { kernelEngine, runCalls, threadsFor, type KernelEngine } from './kernel-engine.js';
import { TILE_M, TILE_N } from './matmul-kernel.js';
import { placeOperand, planOperand, SLACK } from './matmul-operands.js';
import { KC, PARALLEL_MIN_MACS, splitItems, splitTiles } from './wasm-matmul.js';
import { ensureBytes } from './wasm-memory.js';

/**
 * Convolution's three products with the windows gathered inside the kernel memory (im2col whose columns never leave
 * Wasm): the forward product, the weight gradient and the input gradient (col2im), for the spec's `unfoldMatmul*`.
 * Samples go through in chunks; each phase of a chunk (gather, matmul, scatter) splits the samples across threads.
 * Composed from gather, matmul and scatter-add, the columns (5 MB for LeNet's first layer at batch 64) were copied
 * out of Wasm, into a JS array, and back in for every product.
 */

/** Sizes: `n` samples of `m` floats; `groups` groups of `og` output channels over `kg` window rows of `l` positions. */
export interface UnfoldSizes {
  n: number;
  m: number;
  groups: number;
  og: number;
  kg: number;
  l: number;
}

/** The most kernel memory one chunk of samples takes. */
const CHUNK_BYTES = 1 << 25;

const roundUp = (value: number, multiple: number): number => Math.ceil(value / multiple) * multiple;

/** Float offsets handed out one after another in the kernel memory. */
class Layout {
  floats = 0;
  take(count: number): number {
    const at = this.floats;
    this.floats += count;
    return at;
  }
}

/** Copies rows `r0`..`r0 + count` of a [rows, width] operand (last dim contiguous) one after another into `heap` at `at`, each `stride` apart. */
function placeRows(x: Operand<HostArray>, r0: number, count: number, width: number, heap: Float32Array, at: number, stride: number): void {
  const src = x.buffer as Float32Array;
  const rowStride = x.view.strides[0];
  for (let r = 0; r < count; r++) {
    const start = x.view.offset + (r0 + r) * rowStride;
    heap.set(src.subarray(start, start + width), at + r * stride);
  }
}

/**
 * Zeroes the gap after each of `count` blocks of `width` floats laid `stride` apart: the slack the matmul kernel
 * reads past a block's end. Left as whatever other kernels wrote (int32 indices read as subnormal floats), it
 * made the products 10x slower.
 */
function zeroGaps(heap: Float32Array, at: number, count: number, width: number, stride: number): void {
  for (let i = 0; i < count; i++) heap.fill(0, at + i * stride + width, at + (i + 1) * stride);
}

/** Whether an operand's rows lie `width` floats apart with its last dim contiguous: what the row copies read. */
export function rowsContiguous(x: Operand<HostArray>): boolean {
  const { shape, strides } = x.view;
  let expected = 1;
  for (let d = shape.length - 1; d >= 1; d--) {
    if (shape[d] !== 1 && strides[d] !== expected) return false;
    expected *= shape[d];
  }
  return x.buffer instanceof Float32Array;
}

interface Chunking {
  eng: KernelEngine;
  heap: Float32Array;
  chunk: number;
  threads: number;
}

/** The engine, threads and a chunk size for `perSample` floats a sample and `fixed` floats besides; null without Wasm. */
function prepare(s: UnfoldSizes, perSample: number, fixed: number): Chunking | null {
  const eng = kernelEngine();
  // The kernels take counts of at least 1; an empty product is left to the plain loops.
  if (eng === null || s.n * s.groups * s.og * s.kg * s.l === 0) return null;
  const chunk = Math.max(1, Math.min(s.n, Math.floor((CHUNK_BYTES / 4 - fixed) / perSample)));
  try {
    ensureBytes(eng.memory, 4 * (fixed + chunk * perSample));
  } catch {
    return null;
  }
  const threads = threadsFor(eng, s.n * s.groups * s.og * s.kg * s.l, PARALLEL_MIN_MACS);
  return { eng, heap: new Float32Array(eng.memory.buffer), chunk, threads };
}

/** Gathers the columns of `count` samples (x rows at `xAt`, `m` apart) into `colsAt`, `colStride` apart. */
function gatherColumns(c: Chunking, s: UnfoldSizes, count: number, xAt: number, tableAt: number, colsAt: number, colStride: number): void {
  const width = s.groups * s.kg * s.l;
  const calls = splitItems(count, c.threads).map(([p0, items]) => [4 * (xAt + p0 * s.m), 4 * s.m, 4 * tableAt, 0, 4 * (colsAt + p0 * colStride), width, items, 4 * colStride]);
  runCalls(c.eng, c.eng.gather, calls);
}

/** The table (int32 window reads into a sample's m floats) at `at`. */
function placeTable(heap: Float32Array, table: Int32Array, at: number): void {
  new Int32Array(heap.buffer).set(table, at);
}

/**
 * `out[i, g] = weight[g] @ columns(x[i])[g]`: weight [G, Og, Kg], x [N, M] float32 (rows contiguous), table the
 * G * Kg * L window reads; out [N, G, Og, L], plus `bias[g * Og + o]` on channel (g, o) when given (added in the
 * kernel memory on every thread; a JS pass over the output took a seventh of LeNet's first convolution). Null
 * where Wasm is unavailable.
 */
export function wasmUnfoldMatmul(weight: Operand<HostArray>, x: Operand<HostArray>, table: Int32Array, s: UnfoldSizes, bias: Float32Array | null): Float32Array | null {
  const { groups, og, kg, l, m } = s;
  const ogp = roundUp(og, TILE_M);
  const lp = roundUp(l, TILE_N);
  const [, wRow, wCol] = weight.view.strides;
  const A = planOperand(og, ogp, kg, wRow, wCol, TILE_M, true);
  const B = planOperand(l, lp, kg, 1, l, TILE_N, false);
  const colStride = groups * kg * l + SLACK;
  const cStride = groups * ogp * lp;
  const fixed = groups * A.floats + table.length + (bias?.length ?? 0);
  const c = prepare(s, m + colStride + cStride, fixed);
  if (c === null) return null;
  const { eng, heap, chunk } = c;
  const layout = new Layout();
  const aAt = layout.take(groups * A.floats);
  const tableAt = layout.take(table.length);
  const biasAt = layout.take(bias?.length ?? 0);
  const xAt = layout.take(chunk * m);
  const colsAt = layout.take(chunk * colStride);
  const cAt = layout.take(chunk * cStride);
  for (let g = 0; g < groups; g++) placeOperand(weight, g, A, og, ogp, kg, wRow, wCol, TILE_M, heap, aAt + g * A.floats);
  placeTable(heap, table, tableAt);
  if (bias !== null) heap.set(bias, biasAt);
  zeroGaps(heap, colsAt, chunk, colStride - SLACK, colStride);
  const out = new Float32Array(s.n * groups * og * l);
  const kernel = eng.matmul[A.layout];
  for (let r0 = 0; r0 < s.n; r0 += chunk) {
    const count = Math.min(chunk, s.n - r0);
    placeRows(x, r0, count, m, heap, xAt, m);
    gatherColumns(c, s, count, xAt, tableAt, colsAt, colStride);
    for (let g = 0; g < groups; g++) {
      const calls = splitItems(count, c.threads).map(([p0, items]) => [
        4 * (aAt + g * A.floats), 4 * (colsAt + p0 * colStride + g * kg * l), 4 * (cAt + p0 * cStride + g * ogp * lp),
        ogp / TILE_M, lp / TILE_N, kg, A.tile, B.tile, 4 * lp, A.step, B.step, KC, items, 0, 4 * colStride, 4 * cStride,
      ]);
      runCalls(eng, kernel, calls);
      if (bias === null) continue;
      // The padded rows (lp floats, whole vectors) get the bias; the padding is dropped by the compaction.
      const biasCalls = splitItems(count, c.threads).map(([p0, items]) => [
        4 * (cAt + p0 * cStride + g * ogp * lp), 4 * (biasAt + g * og), og, lp / 4, 4 * lp, items, 4 * cStride,
      ]);
      runCalls(eng, eng.rowBias, biasCalls);
    }
    for (let i = 0; i < count; i++) {
      for (let g = 0; g < groups; g++) {
        const from = cAt + i * cStride + g * ogp * lp;
        if (lp !== l) eng.compact.call(4 * from, og, 4 * lp, 4 * l);
        out.set(heap.subarray(from, from + og * l), ((r0 + i) * groups + g) * og * l);
      }
    }
  }
  return out;
}

/**
 * `out[g] = Σ_i grad[i, g] @ columns(x[i])[g]ᵀ`, the weight gradient: grad [N, G, Og, L] (rows contiguous), x [N, M];
 * out [G, Og, Kg]. The samples are one long product: a chunk's columns are gathered transposed (position-major,
 * [samples * L, Kg], read in place as B) and grad's rows laid end to end over the samples ([Og, samples * L], A),
 * so one matmul sums over samples and positions at once; chunks add up in float64.
 */
export function wasmUnfoldMatmulWeightGrad(grad: Operand<HostArray>, x: Operand<HostArray>, table: Int32Array, s: UnfoldSizes): Float32Array | null {
  const { groups, og, kg, l, m } = s;
  const ogp = roundUp(og, TILE_M);
  const kgp = roundUp(kg, TILE_N);
  const perSample = m + groups * l * kg + ogp * l;
  const c = prepare(s, perSample, table.length + 2 * SLACK + ogp * kgp);
  if (c === null) return null;
  const { eng, heap, chunk } = c;
  const layout = new Layout();
  const tableAt = layout.take(table.length);
  const xAt = layout.take(chunk * m);
  const colsAt = layout.take(chunk * groups * l * kg + SLACK);
  const aAt = layout.take(chunk * ogp * l + SLACK);
  const cAt = layout.take(ogp * kgp);
  // Position-major reads per group: entry (p, q) is the window row q's read at position p.
  const transposed = new Int32Array(table.length);
  for (let g = 0; g < groups; g++) {
    for (let q = 0; q < kg; q++) for (let p = 0; p < l; p++) transposed[(g * l + p) * kg + q] = table[(g * kg + q) * l + p];
  }
  placeTable(heap, transposed, tableAt);
  const sums = new Float64Array(groups * og * kg);
  const [gRow, gGroup, gOut] = grad.view.strides;
  const src = grad.buffer as Float32Array;
  for (let r0 = 0; r0 < s.n; r0 += chunk) {
    const count = Math.min(chunk, s.n - r0);
    const k = count * l;
    placeRows(x, r0, count, m, heap, xAt, m);
    for (let g = 0; g < groups; g++) {
      // B: this group's transposed columns of every sample, end to end ([k, kg]); then zero slack.
      const bAt = colsAt + g * chunk * l * kg;
      const calls = splitItems(count, c.threads).map(([p0, items]) => [4 * (xAt + p0 * m), 4 * m, 4 * (tableAt + g * l * kg), 0, 4 * (bAt + p0 * l * kg), l * kg, items, 4 * l * kg]);
      runCalls(eng, eng.gather, calls);
      heap.fill(0, bAt + k * kg, bAt + k * kg + SLACK);
      // A: grad's rows for this group, each running over the samples' positions ([og, k]); padding rows zeroed.
      for (let o = 0; o < og; o++) {
        for (let i = 0; i < count; i++) {
          const from = grad.view.offset + (r0 + i) * gRow + g * gGroup + o * gOut;
          heap.set(src.subarray(from, from + l), aAt + o * k + i * l);
        }
      }
      heap.fill(0, aAt + og * k, aAt + ogp * k);
      const A = planOperand(og, ogp, k, k, 1, TILE_M, true);
      const B = planOperand(kg, kgp, k, 1, kg, TILE_N, false);
      const args = [4 * aAt, 4 * bAt, 4 * cAt, ogp / TILE_M, kgp / TILE_N, k, A.tile, B.tile, 4 * kgp, A.step, B.step, KC, 1, 0, 0, 0];
      const kernel = eng.matmul[A.layout];
      const tiles = (ogp / TILE_M) * (kgp / TILE_N);
      if (c.threads === 1 || tiles === 1) kernel.call(...(args as Parameters<typeof kernel.call>));
      else eng.pool?.run(kernel.index, splitTiles(args, c.threads));
      for (let o = 0; o < og; o++) for (let q = 0; q < kg; q++) sums[(g * og + o) * kg + q] += heap[cAt + o * kgp + q];
    }
  }
  return Float32Array.from(sums);
}

/**
 * `out[i] = scatter(weight[g]ᵀ @ grad[i, g])` into [N, M] zeros at the window reads, the input gradient (col2im):
 * weight [G, Og, Kg], grad [N, G, Og, L] (rows contiguous).
 */
export function wasmUnfoldMatmulInputGrad(weight: Operand<HostArray>, grad: Operand<HostArray>, table: Int32Array, s: UnfoldSizes): Float32Array | null {
  const { groups, og, kg, l, m } = s;
  const kgp = roundUp(kg, TILE_M);
  const lp = roundUp(l, TILE_N);
  const [, wRow, wCol] = weight.view.strides;
  // weight[g]ᵀ: kg rows (weight's columns) over og steps.
  const A = planOperand(kg, kgp, og, wCol, wRow, TILE_M, true);
  const B = planOperand(l, lp, og, 1, l, TILE_N, false);
  const gradStride = groups * og * l + SLACK;
  const cStride = groups * kgp * lp;
  const c = prepare(s, gradStride + cStride + m, groups * A.floats + table.length);
  if (c === null) return null;
  const { eng, heap, chunk } = c;
  const layout = new Layout();
  const aAt = layout.take(groups * A.floats);
  const tableAt = layout.take(table.length);
  const gradAt = layout.take(chunk * gradStride);
  const cAt = layout.take(chunk * cStride);
  const outAt = layout.take(chunk * m);
  for (let g = 0; g < groups; g++) placeOperand(weight, g, A, kg, kgp, og, wCol, wRow, TILE_M, heap, aAt + g * A.floats);
  placeTable(heap, table, tableAt);
  const out = new Float32Array(s.n * m);
  const kernel = eng.matmul[A.layout];
  for (let r0 = 0; r0 < s.n; r0 += chunk) {
    const count = Math.min(chunk, s.n - r0);
    placeRows(grad, r0, count, groups * og * l, heap, gradAt, gradStride);
    zeroGaps(heap, gradAt, count, gradStride - SLACK, gradStride);
    for (let g = 0; g < groups; g++) {
      const calls = splitItems(count, c.threads).map(([p0, items]) => [
        4 * (aAt + g * A.floats), 4 * (gradAt + p0 * gradStride + g * og * l), 4 * (cAt + p0 * cStride + g * kgp * lp),
        kgp / TILE_M, lp / TILE_N, og, A.tile, B.tile, 4 * lp, A.step, B.step, KC, items, 0, 4 * gradStride, 4 * cStride,
      ]);
      runCalls(eng, kernel, calls);
    }
    if (lp !== l) {
      for (let i = 0; i < count; i++) for (let g = 0; g < groups; g++) eng.compact.call(4 * (cAt + i * cStride + g * kgp * lp), kg, 4 * lp, 4 * l);
    }
    heap.fill(0, outAt, outAt + count * m);
    // Group by group, so two threads never add into one sample's row.
    for (let g = 0; g < groups; g++) {
      const calls = splitItems(count, c.threads).map(([p0, items]) => [
        4 * (cAt + p0 * cStride + g * kgp * lp), 4 * cStride, 4 * (tableAt + g * kg * l), 0, 4 * (outAt + p0 * m), kg * l, items, 4 * m,
      ]);
      runCalls(eng, eng.scatterAdd, calls);
    }
    out.set(heap.subarray(outAt, outAt + count * m), r0 * m);
  }
  return out;
}
