import { rowBiasKernelBytes } from './bias-kernel.js';
import { compactKernelBytes } from './compact-kernel.js';
import { copyRowsKernelBytes, correlateKernelBytes, weightGradKernelBytes } from './direct-conv-kernels.js';
import { gatherKernelBytes, scatterAddKernelBytes, windowArgmaxKernelBytes } from './gather-kernel.js';
import { matmulKernelBytes, type ALayout } from './matmul-kernel.js';
import { packKernelBytes } from './pack-kernel.js';
import { simdSupport } from './simd-support.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';
import { kernelMemory } from './wasm-memory.js';
import { ThreadPool, type PoolKernel } from '../threads/pool.js';
import { sharedMemory } from '../threads/shared-memory.js';
import { getNumThreads, warnIfSingleThreaded } from '../threads/thread-count.js';

export type MatmulKernel = (
  ap: number,
  bp: number,
  cp: number,
  mt: number,
  nt: number,
  k: number,
  aTile: number,
  bPanel: number,
  ldc: number,
  aStep: number,
  bStep: number,
  kBlock: number,
  items: number,
  aItem: number,
  bItem: number,
  cItem: number,
) => void;
export type PackKernel = (src: number, ld: number, dst: number, panels: number, k4: number) => void;
export type GatherKernel = (src: number, srcRow: number, idx: number, idxRow: number, out: number, width: number, rows: number, outRow: number) => void;
export type ScatterAddKernel = (src: number, srcRow: number, idx: number, idxRow: number, out: number, width: number, rows: number, outRow: number) => void;
export type CompactKernel = (ptr: number, rows: number, fromRow: number, toRow: number) => void;
export type RowBiasKernel = (ptr: number, bias: number, rows: number, rowVecs: number, rowStride: number, blocks: number, blockStride: number) => void;
export type CorrelateKernel = (
  input: number, inItem: number, bases: number, kq: number, w: number, oBlocks: number, out: number, outPlane: number, pGroups: number, items: number, outItem: number,
) => void;
export type WeightGradKernel = (
  g: number, gItem: number, x: number, xItem: number, bases: number, qPairs: number, oBlocks: number, p8: number, out: number, items: number, gPlane: number,
  perBlock: number, outBlock: number,
) => void;
export type CopyRowsKernel = (
  src: number, dst: number, items: number, planes: number, rows: number, rowBytes: number, srcItem: number, srcPlane: number, srcRow: number,
  dstItem: number, dstPlane: number, dstRow: number,
) => void;
export type WindowArgmaxKernel = (src: number, srcRow: number, idx: number, idxRow: number, out: number, windows: number, window: number, rows: number) => void;

/** A kernel on the calling thread (`call`), and its place in the pool's list, to hand parts to workers. */
export interface EngineKernel<F> {
  call: F;
  index: number;
}

/** The Wasm kernels that run on worker threads, their one memory, and the workers. */
export interface KernelEngine {
  memory: WasmMemory;
  matmul: Record<ALayout, EngineKernel<MatmulKernel>>;
  /** Packs a column-major B's panels. */
  pack: EngineKernel<PackKernel>;
  gather: EngineKernel<GatherKernel>;
  scatterAdd: EngineKernel<ScatterAddKernel>;
  windowArgmax: EngineKernel<WindowArgmaxKernel>;
  /** Adds a per-row bias to a padded product (a convolution's channel bias). */
  rowBias: EngineKernel<RowBiasKernel>;
  /** Moves a padded matmul result's rows together (runs on the calling thread). */
  compact: EngineKernel<CompactKernel>;
  /** Stride-1 convolutions read straight from zero-bordered planes (direct-conv-kernels.ts). */
  correlate: EngineKernel<CorrelateKernel>;
  weightGrad: EngineKernel<WeightGradKernel>;
  copyRows: EngineKernel<CopyRowsKernel>;
  /** Workers on the same (shared) memory; undefined where the runtime has no SharedArrayBuffer. */
  pool: ThreadPool | undefined;
}

let engine: KernelEngine | null | undefined;

/**
 * The compiled kernels and their memory, created on first use; null where the runtime lacks Wasm SIMD. Every
 * kernel is compiled once and sent to each worker when it starts, so any of them can run on all threads.
 */
export function kernelEngine(): KernelEngine | null {
  if (engine !== undefined) return engine;
  const api = wasmApi;
  if (api === undefined || !simdSupport().simd128) return (engine = null);
  const { Module, Instance } = api;
  const shared = sharedMemory();
  const memory = shared ?? kernelMemory();
  if (memory === undefined) return (engine = null);
  const options = { shared: shared !== null };
  const list: PoolKernel[] = [];
  function compile<F>(bytes: Uint8Array, name: string): EngineKernel<F> {
    const module = new Module(bytes);
    const call = new Instance(module, { env: { memory } }).exports[name] as (...args: number[]) => void;
    list.push({ module, name, call });
    return { call: call as F, index: list.length - 1 };
  }
  // Relaxed-SIMD FMA where the runtime validates it (Chromium, Node 21+, and Node 20 through simd-support.ts), else
  // mul + add: each output element then rounds once or twice per term, within the fixtures' tolerances either way,
  // and the same on every thread count.
  const fma = simdSupport().relaxed;
  const matmul = {
    tiles: compile<MatmulKernel>(matmulKernelBytes(fma, options, 'tiles'), 'matmul'),
    rowMajor: compile<MatmulKernel>(matmulKernelBytes(fma, options, 'rowMajor'), 'matmul'),
  };
  const pack = compile<PackKernel>(packKernelBytes(options), 'pack');
  const gather = compile<GatherKernel>(gatherKernelBytes(options), 'gather');
  const scatterAdd = compile<ScatterAddKernel>(scatterAddKernelBytes(options), 'scatterAdd');
  const windowArgmax = compile<WindowArgmaxKernel>(windowArgmaxKernelBytes(options), 'windowArgmax');
  const rowBias = compile<RowBiasKernel>(rowBiasKernelBytes(options), 'rowBias');
  const compact = compile<CompactKernel>(compactKernelBytes(options), 'compact');
  const correlate = compile<CorrelateKernel>(correlateKernelBytes(fma, options), 'correlate');
  const weightGrad = compile<WeightGradKernel>(weightGradKernelBytes(fma, options), 'weightGrad');
  const copyRows = compile<CopyRowsKernel>(copyRowsKernelBytes(options), 'copyRows');
  const pool = shared === null ? undefined : new ThreadPool(shared, list);
  engine = { memory, matmul, pack, gather, scatterAdd, windowArgmax, rowBias, compact, correlate, weightGrad, copyRows, pool };
  return engine;
}

/** Runs `kernel` once per call: one on the calling thread alone, several across the pool at once. */
export function runCalls(eng: KernelEngine, kernel: EngineKernel<(...args: number[]) => void>, calls: readonly (readonly number[])[]): void {
  if (calls.length === 1) kernel.call(...calls[0]);
  else eng.pool?.run(kernel.index, calls);
}

/** Starts the workers up to `threads` (see ThreadPool.warmUp). */
export function warmUpThreads(threads: number): void {
  kernelEngine()?.pool?.warmUp(threads);
}

/** How many threads a large kernel would run on now (workers start in the background on first use). */
export function engineParallelism(): number {
  const eng = kernelEngine();
  return eng?.pool === undefined ? 1 : eng.pool.parallelism(getNumThreads());
}

/** How many threads a problem of `work` units runs on: one below `minWork` (waking a worker costs more), else all ready. */
export function threadsFor(eng: KernelEngine, work: number, minWork: number): number {
  if (work < minWork) return 1;
  if (eng.pool === undefined) {
    warnIfSingleThreaded();
    return 1;
  }
  return eng.pool.parallelism(getNumThreads());
}
