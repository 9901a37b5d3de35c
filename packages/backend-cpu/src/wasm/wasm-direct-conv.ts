import type { HostArray, Operand } from '@descent/backend';
import { packBlocks, windowBases, type DirectPlan } from './direct-conv-plan.js';
import { kernelEngine, runCalls, threadsFor, type KernelEngine } from './kernel-engine.js';
import { PARALLEL_MIN_MACS, splitItems } from './wasm-matmul.js';
import { ensureBytes } from './wasm-memory.js';

/**
 * Stride-1 convolutions with the direct kernels: the inputs are written into zero-bordered planes in the kernel
 * memory, and every window row reads them at a fixed offset (no im2col columns, no table). The forward product and
 * the input gradient are correlations (the input gradient of the output's gradient, bordered, with the weights
 * flipped); the weight gradient sums per block of 8 samples, then over blocks in float64. Samples split across
 * threads in every phase.
 */

const CHUNK_BYTES = 1 << 25;
/** Samples per weight-gradient sum: fixed, so the result is the same on any number of threads. */
const BLOCK = 8;

const roundUp = (value: number, multiple: number): number => Math.ceil(value / multiple) * multiple;

/** Float offsets handed out one after another in the kernel memory, each 4-aligned (16 bytes). */
class Layout {
  floats = 0;
  take(count: number): number {
    const at = this.floats;
    this.floats += roundUp(count, 4);
    return at;
  }
}

interface Run {
  eng: KernelEngine;
  heap: Float32Array;
  chunk: number;
  threads: number;
}

/** The engine, a chunk of samples (a multiple of `multiple`) for `perSample` floats each plus `fixed`, and threads. */
function prepare(n: number, perSample: number, fixed: number, macs: number, multiple = 1): Run | null {
  const eng = kernelEngine();
  if (eng === null || n === 0) return null;
  let chunk = Math.max(1, Math.min(n, Math.floor((CHUNK_BYTES / 4 - fixed) / perSample)));
  if (chunk < n) chunk = Math.max(multiple, chunk - (chunk % multiple));
  try {
    ensureBytes(eng.memory, 4 * (fixed + chunk * perSample) + 64);
  } catch {
    return null;
  }
  return { eng, heap: new Float32Array(eng.memory.buffer), chunk, threads: threadsFor(eng, macs, PARALLEL_MIN_MACS) };
}

/** Runs `args(first, items)` over `count` samples split across the threads. */
function bySamples(r: Run, kernel: Parameters<typeof runCalls>[1], count: number, args: (first: number, items: number) => number[]): void {
  runCalls(r.eng, kernel, splitItems(count, r.threads).map(([first, items]) => args(first, items)));
}

/** Copies samples r0.. of a [n, width] float32 operand (rows contiguous) into the heap, `width` floats apart. */
function placeSamples(x: Operand<HostArray>, r0: number, count: number, width: number, heap: Float32Array, at: number): void {
  const src = x.buffer as Float32Array;
  const rowStride = x.view.strides[0];
  if (rowStride === width) heap.set(src.subarray(x.view.offset + r0 * width, x.view.offset + (r0 + count) * width), at);
  else for (let i = 0; i < count; i++) heap.set(src.subarray(x.view.offset + (r0 + i) * rowStride, x.view.offset + (r0 + i) * rowStride + width), at + i * width);
}

/** Floats of one sample's bordered input planes, with the slack the last window rows read past the last plane. */
function inputItem(p: DirectPlan, positions: number): number {
  return roundUp(p.channels * p.plane + p.dw * (p.kw - 1) + positions - p.oh * p.pw + 8, 4);
}

/** Writes samples' planes (C x H x W from `rawAt`, `rawItem` floats apart) into their zero borders at `gridAt`. */
function placePlanes(r: Run, p: DirectPlan, count: number, rawAt: number, rawItem: number, gridAt: number, gridItem: number): void {
  bySamples(r, r.eng.copyRows, count, (first, items) => [
    4 * (rawAt + first * rawItem), 4 * (gridAt + first * gridItem + p.padTop * p.pw + p.padLeft), items, p.channels, p.h, 4 * p.w,
    4 * rawItem, 4 * p.h * p.w, 4 * p.w, 4 * gridItem, 4 * p.plane, 4 * p.pw,
  ]);
}

/**
 * `out[i, g] = weight[g] @ columns(x[i])[g]` (+ bias per channel) for a stride-1 convolution: weight [G, Og, Kg],
 * x [N, M] (rows contiguous), out [N, G, Og, L]. Each output sums its window rows in order from zero, then adds the
 * bias, as the im2col path does. Null where Wasm is unavailable.
 */
export function directConv(weight: Operand<HostArray>, x: Operand<HostArray>, p: DirectPlan, groups: number, bias: Float32Array | null): Float32Array | null {
  const [, og, kg] = weight.view.shape;
  const [n, m] = x.view.shape;
  const positions = roundUp(p.oh * p.pw, 8);
  const oBlocks = Math.ceil(og / 4);
  const gridItem = inputItem(p, positions);
  const outItem = groups * oBlocks * 4 * positions;
  const l = p.l;
  const fixed = groups * oBlocks * kg * 4 + kg + groups * og + 16;
  const r = prepare(n, m + gridItem + outItem + groups * og * l + 16, fixed, n * groups * og * kg * l);
  if (r === null) return null;
  const { eng, heap, chunk } = r;
  const layout = new Layout();
  const wAt = layout.take(groups * oBlocks * kg * 4);
  const basesAt = layout.take(kg);
  const biasAt = layout.take(groups * og);
  const rawAt = layout.take(chunk * m);
  const gridAt = layout.take(chunk * gridItem);
  const outAt = layout.take(chunk * outItem);
  const denseAt = layout.take(chunk * groups * og * l);
  const w = weight.buffer as Float32Array;
  const [wg, wr, wc] = weight.view.strides;
  for (let g = 0; g < groups; g++) {
    packBlocks(og, kg, (o, q) => w[weight.view.offset + g * wg + o * wr + q * wc], heap, wAt + g * oBlocks * kg * 4);
  }
  new Int32Array(heap.buffer).set(windowBases(p), basesAt);
  if (bias !== null) heap.set(bias, biasAt);
  heap.fill(0, gridAt, gridAt + chunk * gridItem);
  const out = new Float32Array(n * groups * og * l);
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const count = Math.min(chunk, n - r0);
    placeSamples(x, r0, count, m, heap, rawAt);
    placePlanes(r, p, count, rawAt, m, gridAt, gridItem);
    for (let g = 0; g < groups; g++) {
      const gOut = outAt + g * oBlocks * 4 * positions;
      bySamples(r, eng.correlate, count, (first, items) => [
        4 * (gridAt + first * gridItem + g * p.perGroup * p.plane), 4 * gridItem, 4 * basesAt, kg, 4 * (wAt + g * oBlocks * kg * 4), oBlocks,
        4 * (gOut + first * outItem), 4 * positions, positions / 8, items, 4 * outItem,
      ]);
      if (bias !== null) {
        bySamples(r, eng.rowBias, count, (first, items) => [4 * (gOut + first * outItem), 4 * (biasAt + g * og), og, positions / 4, 4 * positions, items, 4 * outItem]);
      }
      bySamples(r, eng.copyRows, count, (first, items) => [
        4 * (gOut + first * outItem), 4 * (denseAt + (first * groups + g) * og * l), items, og, p.oh, 4 * p.ow,
        4 * outItem, 4 * positions, 4 * p.pw, 4 * groups * og * l, 4 * l, 4 * p.ow,
      ]);
    }
    out.set(heap.subarray(denseAt, denseAt + count * groups * og * l), r0 * groups * og * l);
  }
  return out;
}

/**
 * The weight gradient `Σ_i grad[i, g] @ columns(x[i])[g]ᵀ`, [G, Og, rows]: grad [N, G, Og, L], x [N, M]. `rows` is
 * Kg, or Kg + 1 when each group's last window row reads x's last column (`onesColumn`, the bias's gradient).
 */
export function directConvWeightGrad(grad: Operand<HostArray>, x: Operand<HostArray>, p: DirectPlan, groups: number, og: number, onesColumn: boolean): Float32Array | null {
  const [n, m] = x.view.shape;
  const kg = p.kg;
  const rows = kg + (onesColumn ? 1 : 0);
  const qPairs = Math.ceil(rows / 2);
  const positions = roundUp(p.oh * p.pw, 8);
  const oBlocks = Math.ceil(og / 4);
  const gPlane = positions;
  const gItem = groups * oBlocks * 4 * gPlane;
  // The ones (x's last column, the same at every position) follow each sample's planes.
  const gridItem = inputItem(p, positions) + (onesColumn ? positions : 0);
  const onesAt = gridItem - (onesColumn ? positions : 0);
  const sums = groups * oBlocks * qPairs * 32;
  const blocks = Math.ceil(n / BLOCK);
  const gradWidth = groups * og * p.l;
  const r = prepare(n, m + gridItem + gradWidth + gItem, groups * 2 * qPairs + blocks * groups * sums + 16, n * groups * og * rows * p.l, BLOCK);
  if (r === null) return null;
  const { eng, heap, chunk } = r;
  const layout = new Layout();
  const basesAt = layout.take(groups * 2 * qPairs);
  const sumsAt = layout.take(blocks * groups * sums);
  const rawAt = layout.take(chunk * m);
  const gridAt = layout.take(chunk * gridItem);
  const gRawAt = layout.take(chunk * gradWidth);
  const gAt = layout.take(chunk * gItem);
  // Per group (its planes start further on; the ones do not move), padded to whole pairs with a read of plane 0.
  const bases = windowBases(p);
  for (let g = 0; g < groups; g++) {
    const own = new Int32Array(2 * qPairs);
    own.set(bases.subarray(0, kg));
    if (onesColumn) own[kg] = 4 * (onesAt - g * p.perGroup * p.plane);
    new Int32Array(heap.buffer).set(own, basesAt + g * 2 * qPairs);
  }
  heap.fill(0, sumsAt, sumsAt + blocks * groups * sums);
  heap.fill(0, gridAt, gridAt + chunk * gridItem);
  heap.fill(0, gAt, gAt + chunk * gItem);
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const count = Math.min(chunk, n - r0);
    placeSamples(x, r0, count, m, heap, rawAt);
    placePlanes(r, p, count, rawAt, m, gridAt, gridItem);
    if (onesColumn) {
      for (let i = 0; i < count; i++) heap.fill(heap[rawAt + i * m + m - 1], gridAt + i * gridItem + onesAt, gridAt + (i + 1) * gridItem);
    }
    placeSamples(grad, r0, count, gradWidth, heap, gRawAt);
    for (let g = 0; g < groups; g++) {
      bySamples(r, eng.copyRows, count, (first, items) => [
        4 * (gRawAt + first * gradWidth + g * og * p.l), 4 * (gAt + first * gItem + g * oBlocks * 4 * gPlane), items, og, p.oh, 4 * p.ow,
        4 * gradWidth, 4 * p.l, 4 * p.ow, 4 * gItem, 4 * gPlane, 4 * p.pw,
      ]);
    }
    // Whole blocks of samples per thread: the chunk starts on a block boundary.
    const chunkBlocks = Math.ceil(count / BLOCK);
    for (let g = 0; g < groups; g++) {
      runCalls(eng, eng.weightGrad, splitItems(chunkBlocks, r.threads).map(([b0, bs]) => {
        const first = b0 * BLOCK;
        const items = Math.min(count, (b0 + bs) * BLOCK) - first;
        const block = (r0 / BLOCK + b0) * groups + g;
        return [
          4 * (gAt + first * gItem + g * oBlocks * 4 * gPlane), 4 * gItem, 4 * (gridAt + first * gridItem + g * p.perGroup * p.plane), 4 * gridItem,
          4 * (basesAt + g * 2 * qPairs), qPairs, oBlocks, positions / 8, 4 * (sumsAt + block * sums), items, 4 * gPlane, BLOCK, 4 * groups * sums,
        ];
      }));
    }
  }
  // Lanes, then blocks in order, in float64.
  const out = new Float64Array(groups * og * rows);
  for (let b = 0; b < blocks; b++) {
    for (let g = 0; g < groups; g++) {
      const at = sumsAt + (b * groups + g) * sums;
      for (let o = 0; o < og; o++) {
        for (let q = 0; q < rows; q++) {
          const s = at + ((Math.floor(o / 4) * qPairs + (q >> 1)) * 4 + (o % 4)) * 8 + (q & 1) * 4;
          out[(g * og + o) * rows + q] += heap[s] + heap[s + 1] + heap[s + 2] + heap[s + 3];
        }
      }
    }
  }
  return Float32Array.from(out);
}

/**
 * The input gradient (col2im) of a stride-1 convolution as a correlation: the output's gradient is written into
 * zero-bordered planes and read by the weights flipped and transposed, giving the bordered input's gradient, whose
 * inside is the result: weight [G, Og, Kg], grad [N, G, Og, L]; out [N, width] (the padding element's entry zero).
 */
export function directConvInputGrad(weight: Operand<HostArray>, grad: Operand<HostArray>, p: DirectPlan, groups: number, width: number): Float32Array | null {
  const [, og] = weight.view.shape;
  const n = grad.view.shape[0];
  const { kh, kw, dh, dw, pw } = p;
  const front = (kh - 1) * dh * pw + (kw - 1) * dw;
  const positions = roundUp(p.plane, 8);
  const gPlane = roundUp(front + positions + 8, 4);
  const gItem = groups * og * gPlane;
  const kq = og * kh * kw;
  const cBlocks = Math.ceil(p.perGroup / 4);
  const outItem = groups * cBlocks * 4 * positions;
  const gradWidth = groups * og * p.l;
  const r = prepare(n, gradWidth + gItem + outItem + width, groups * cBlocks * kq * 4 + kq + 16, n * groups * og * p.kg * p.l);
  if (r === null) return null;
  const { eng, heap, chunk } = r;
  const layout = new Layout();
  const wAt = layout.take(groups * cBlocks * kq * 4);
  const basesAt = layout.take(kq);
  const gRawAt = layout.take(chunk * gradWidth);
  const gAt = layout.take(chunk * gItem);
  const outAt = layout.take(chunk * outItem);
  const denseAt = layout.take(chunk * width);
  // Window row q' = (o, ky, kx) reads the gradient plane o at the position minus the kernel offset.
  const bases = new Int32Array(kq);
  for (let o = 0, q = 0; o < og; o++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++, q++) bases[q] = 4 * (o * gPlane + front - ky * dh * pw - kx * dw);
  new Int32Array(heap.buffer).set(bases, basesAt);
  const w = weight.buffer as Float32Array;
  const [wg, wr, wc] = weight.view.strides;
  const taps = kh * kw;
  for (let g = 0; g < groups; g++) {
    const value = (c: number, q: number): number => w[weight.view.offset + g * wg + Math.floor(q / taps) * wr + (c * taps + (q % taps)) * wc];
    packBlocks(p.perGroup, kq, value, heap, wAt + g * cBlocks * kq * 4);
  }
  heap.fill(0, gAt, gAt + chunk * gItem);
  heap.fill(0, denseAt, denseAt + chunk * width);
  const out = new Float32Array(n * width);
  for (let r0 = 0; r0 < n; r0 += chunk) {
    const count = Math.min(chunk, n - r0);
    placeSamples(grad, r0, count, gradWidth, heap, gRawAt);
    bySamples(r, eng.copyRows, count, (first, items) => [
      4 * (gRawAt + first * gradWidth), 4 * (gAt + first * gItem + front), items, groups * og, p.oh, 4 * p.ow,
      4 * gradWidth, 4 * p.l, 4 * p.ow, 4 * gItem, 4 * gPlane, 4 * pw,
    ]);
    for (let g = 0; g < groups; g++) {
      const gOut = outAt + g * cBlocks * 4 * positions;
      bySamples(r, eng.correlate, count, (first, items) => [
        4 * (gAt + first * gItem + g * og * gPlane), 4 * gItem, 4 * basesAt, kq, 4 * (wAt + g * cBlocks * kq * 4), cBlocks,
        4 * (gOut + first * outItem), 4 * positions, positions / 8, items, 4 * outItem,
      ]);
      bySamples(r, eng.copyRows, count, (first, items) => [
        4 * (gOut + first * outItem + p.padTop * pw + p.padLeft), 4 * (denseAt + first * width + g * p.perGroup * p.h * p.w), items, p.perGroup, p.h, 4 * p.w,
        4 * outItem, 4 * positions, 4 * pw, 4 * width, 4 * p.h * p.w, 4 * p.w,
      ]);
    }
    out.set(heap.subarray(denseAt, denseAt + count * width), r0 * width);
  }
  return out;
}
