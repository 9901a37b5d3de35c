import type { HostArray, Operand } from '@descent/backend';
import { kernelEngine, threadsFor, type KernelEngine, type MatmulKernel } from './kernel-engine.js';
import { TILE_M, TILE_N } from './matmul-kernel.js';
import { placeOperand, planOperand } from './matmul-operands.js';
import { outputArray } from '../output-array.js';
import { ensureBytes } from './wasm-memory.js';

/**
 * k runs in blocks of this many steps so a block of B (KC x n floats) stays in L2 across A's row tiles. Measured on
 * this 2-core Xeon (1 and 2 threads; 1024^3, 256^3 and the MLP's 128x784x256 both ways): 128 beat 256 by up to 1.6x
 * on two threads and matched 64.
 */
export const KC = 128;

/**
 * Problems with fewer multiply-adds than this run on the calling thread alone. Handing a call to a spinning
 * worker costs about 4 µs, but between ops a worker sleeps, and waking it took 15-20 µs (median, in the MLP
 * training step on this 2-core VM): a split must save more than that, so the problem must take about 60 µs on
 * one core (10^6 multiply-adds at ~16 per ns). Smaller ones ran slower on two threads than on one.
 */
export const PARALLEL_MIN_MACS = 100 * 100 * 100;

/** A column-major B packs on all threads from this many floats; below, the wake-up costs more than it saves. */
const PARALLEL_PACK_MIN_FLOATS = 1 << 19;

/** A chunk of batch items placed at once for the threads to share takes at most this much kernel memory. */
const ITEM_CHUNK_BYTES = 1 << 24;

/** The most kernel memory a matmul may take: operands and result of a product of about 8192 x 8192 x 8192. */
export const MAX_KERNEL_BYTES = 1 << 30;

const roundUp = (value: number, multiple: number): number => Math.ceil(value / multiple) * multiple;

/**
 * float32 batched matmul [batch, m, k] x [batch, k, n] on the Wasm SIMD kernel, accumulating in float32, on all
 * threads. Operands are copied into the kernel memory (reused and grown across calls; tensors keep living in
 * garbage-collected JS arrays): packed into tiles, or as they are where the kernel can read them in place
 * (matmul-operands.ts). Returns null where Wasm SIMD is unavailable or the product would need more than
 * MAX_KERNEL_BYTES, and the caller runs the JS kernel.
 */
export function wasmMatmulF32(a: Operand<HostArray>, b: Operand<HostArray>): Float32Array | null {
  const eng = kernelEngine();
  if (eng === null) return null;
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  if (batch * m * n === 0 || k === 0) return new Float32Array(batch * m * n);
  const mp = roundUp(m, TILE_M);
  const np = roundUp(n, TILE_N);
  const [, aRow, aCol] = a.view.strides;
  const [, bRow, bCol] = b.view.strides;
  // A's tiles run along its rows (row stride aRow, k stride aCol); B's panels along its columns.
  const A = planOperand(m, mp, k, aRow, aCol, TILE_M, true, true);
  const B = planOperand(n, np, k, bCol, bRow, TILE_N, false, true);
  // A batch stride of 0 (a weight broadcast over the batch) places that operand once.
  const aShared = batch > 1 && a.view.strides[0] === 0;
  const bShared = batch > 1 && b.view.strides[0] === 0;
  const threads = threadsFor(eng, m * n * k, PARALLEL_MIN_MACS);
  const raw = B.packInKernel?.rawFloats ?? 0;
  // Products too small to split (a convolution's per-sample products) run side by side instead: a chunk of `group`
  // items is placed, each in its own slot, and each thread multiplies a run of them in one call.
  const itemThreads = threads === 1 && batch > 1 ? threadsFor(eng, batch * m * n * k, PARALLEL_MIN_MACS) : 1;
  const perItem = 4 * ((aShared ? 0 : A.floats) + (bShared ? 0 : B.floats + raw) + mp * np);
  const group = itemThreads > 1 ? Math.max(1, Math.min(batch, Math.floor(ITEM_CHUNK_BYTES / perItem))) : 1;
  const aSlots = aShared ? 1 : group;
  const bSlots = bShared ? 1 : group;
  const aAt = (slot: number): number => (aShared ? 0 : slot) * A.floats;
  const bAt = (slot: number): number => aSlots * A.floats + (bShared ? 0 : slot) * B.floats;
  const cBase = aSlots * A.floats + bSlots * B.floats;
  const cAt = (slot: number): number => cBase + slot * mp * np;
  const rawAt = (slot: number): number => cBase + group * mp * np + (bShared ? 0 : slot) * raw;
  const bytes = 4 * (cBase + group * mp * np + bSlots * raw);
  // The kernel memory keeps its size after the call (a workspace, as BLAS keeps one), so it holds at most
  // MAX_KERNEL_BYTES; a larger product, or one the runtime cannot grow the memory for, runs on the JS kernel.
  if (bytes > MAX_KERNEL_BYTES) return null;
  try {
    ensureBytes(eng.memory, bytes);
  } catch {
    return null;
  }
  const heap = new Float32Array(eng.memory.buffer);
  const kernel = eng.matmul[A.layout];
  // Every element is written below.
  const out = outputArray('float32', batch * m * n) as Float32Array;
  for (let p0 = 0; p0 < batch; p0 += group) {
    const count = Math.min(group, batch - p0);
    for (let slot = 0; slot < count; slot++) {
      const p = p0 + slot;
      if (!aShared || p === 0) placeOperand(a, p, A, m, mp, k, aRow, aCol, TILE_M, heap, aAt(slot));
      if (!bShared || p === 0) {
        placeOperand(b, p, B, n, np, k, bCol, bRow, TILE_N, heap, bAt(slot), rawAt(slot));
        if (B.packInKernel !== undefined) packPanels(eng, rawAt(slot), bAt(slot), np / TILE_N, B.packInKernel.kPadded, threads);
      }
    }
    // Items [s, s + items) in one call: each item's operands and result lie a fixed stride after the previous one's.
    const itemsCall = (s: number, items: number): number[] => [
      4 * aAt(s), 4 * bAt(s), 4 * cAt(s), mp / TILE_M, np / TILE_N, k, A.tile, B.tile, 4 * np, A.step, B.step, KC,
      items, aShared ? 0 : 4 * A.floats, bShared ? 0 : 4 * B.floats, 4 * mp * np,
    ];
    if (count > 1) eng.pool?.run(kernel.index, splitItems(count, itemThreads).map(([s, items]) => itemsCall(s, items)));
    else if (threads === 1) kernel.call(...(itemsCall(0, 1) as Parameters<MatmulKernel>));
    else eng.pool?.run(kernel.index, splitTiles(itemsCall(0, 1), threads));
    for (let slot = 0; slot < count; slot++) copyOut(eng, heap, cAt(slot), out, (p0 + slot) * m * n, m, n, np);
  }
  return out;
}

/** An item's m x n result from its padded rows (np floats each) at float `from` of the heap into `out` at `to`. */
function copyOut(eng: KernelEngine, heap: Float32Array, from: number, out: Float32Array, to: number, m: number, n: number, np: number): void {
  if (np !== n) eng.compact.call(4 * from, m, 4 * np, 4 * n);
  out.set(heap.subarray(from, from + m * n), to);
}

/** Runs the pack kernel over B's panels, split across `threads` (tiles from the raw copy at float `rawOff`). */
export function packPanels(eng: KernelEngine, rawOff: number, bOff: number, panels: number, kPadded: number, threads: number): void {
  const ld = 4 * kPadded;
  const parts = panels * TILE_N * kPadded < PARALLEL_PACK_MIN_FLOATS ? 1 : Math.min(threads, panels);
  const calls: number[][] = [];
  for (let p = 0; p < parts; p++) {
    const j0 = Math.floor((p * panels) / parts);
    const j1 = Math.floor(((p + 1) * panels) / parts);
    calls.push([4 * rawOff + j0 * TILE_N * ld, ld, 4 * bOff + j0 * kPadded * TILE_N * 4, j1 - j0, kPadded / 4]);
  }
  if (parts === 1) eng.pack.call(...(calls[0] as Parameters<KernelEngine['pack']['call']>));
  else eng.pool?.run(eng.pack.index, calls);
}

/**
 * One kernel call's arguments split into `threads` calls over disjoint output tiles: by row tiles of A, or by
 * column panels of B where there are more of those. Each output element still sums its k terms in the same order,
 * so the split never changes a bit of the result.
 */
export function splitTiles(args: readonly number[], threads: number): number[][] {
  const [ap, bp, cp, mt, nt, k, aTile, bPanel, ldc, aStep, bStep, kBlock, ...items] = args;
  const byRows = mt >= nt;
  const tiles = byRows ? mt : nt;
  const parts = Math.min(threads, tiles);
  const calls: number[][] = [];
  for (let p = 0; p < parts; p++) {
    const t0 = Math.floor((p * tiles) / parts);
    const t1 = Math.floor(((p + 1) * tiles) / parts);
    calls.push(
      byRows
        ? [ap + t0 * aTile, bp, cp + t0 * TILE_M * ldc, t1 - t0, nt, k, aTile, bPanel, ldc, aStep, bStep, kBlock, ...items]
        : [ap, bp + t0 * bPanel, cp + t0 * TILE_N * 4, mt, t1 - t0, k, aTile, bPanel, ldc, aStep, bStep, kBlock, ...items],
    );
  }
  return calls;
}

/** `count` items split into at most `threads` runs, each [first item, items]. */
export function splitItems(count: number, threads: number): [number, number][] {
  const parts = Math.min(threads, count);
  const runs: [number, number][] = [];
  for (let p = 0; p < parts; p++) {
    const first = Math.floor((p * count) / parts);
    runs.push([first, Math.floor(((p + 1) * count) / parts) - first]);
  }
  return runs;
}
