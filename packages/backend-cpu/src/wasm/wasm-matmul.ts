import type { HostArray, Operand } from '@descent/backend';
import { matmulKernelBytes, TILE_M, TILE_N } from './matmul-kernel.js';
import { simdSupport } from './simd-support.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';
import { ensureBytes, kernelMemory } from './wasm-memory.js';
import { ThreadPool } from '../threads/pool.js';
import { sharedMemory } from '../threads/shared-memory.js';
import { getNumThreads, warnIfSingleThreaded } from '../threads/thread-count.js';

type Kernel = (
  ap: number,
  bp: number,
  cp: number,
  mt: number,
  np: number,
  kc: number,
  aStride: number,
  bStride: number,
  ldc: number,
) => void;

/** k is split into blocks of this many steps so a block of packed B (KC x n floats) stays in L2 across row tiles. */
const KC = 256;

/**
 * Problems with fewer multiply-adds than this run on the calling thread alone: handing a call to a worker and
 * waiting for it costs about 4 µs on x64 Node 20, which 64^3 multiply-adds (about 8 µs on one core) just repay.
 */
export const PARALLEL_MIN_MACS = 64 * 64 * 64;

interface Engine {
  memory: WasmMemory;
  kernel: Kernel;
  /** Workers on the same (shared) memory; undefined where the runtime has no SharedArrayBuffer. */
  pool: ThreadPool | undefined;
}

let engine: Engine | null | undefined;

/** The compiled kernel and its memory, created on first use; null where the runtime lacks Wasm SIMD. */
function getEngine(): Engine | null {
  if (engine !== undefined) return engine;
  if (wasmApi === undefined || !simdSupport().simd128) return (engine = null);
  const shared = sharedMemory();
  const memory = shared ?? kernelMemory();
  if (memory === undefined) return (engine = null);
  // Relaxed-SIMD FMA where the runtime validates it (Chromium; Node 20 only behind a flag), else mul + add: each
  // output element then rounds once or twice per term, within the fixtures' tolerances either way, and the same on
  // every thread count.
  const module = new wasmApi.Module(matmulKernelBytes(simdSupport().relaxed, { shared: shared !== null }));
  const kernel = new wasmApi.Instance(module, { env: { memory } }).exports.matmul as Kernel;
  const pool = shared === null ? undefined : new ThreadPool(shared, [{ module, name: 'matmul', call: kernel }]);
  engine = { memory, kernel, pool };
  return engine;
}

export function wasmMatmulAvailable(): boolean {
  return getEngine() !== null;
}

/** How many threads a large matmul would run on now (workers start in the background on first use). */
export function matmulParallelism(): number {
  const eng = getEngine();
  return eng?.pool === undefined ? 1 : eng.pool.parallelism(getNumThreads());
}

const roundUp = (value: number, multiple: number): number => Math.ceil(value / multiple) * multiple;

/**
 * float32 batched matmul [batch, m, k] x [batch, k, n] on the Wasm SIMD kernel, accumulating in float32. Operands
 * are copied from their strided views into packed, zero-padded tiles in the Wasm memory (reused and grown across
 * calls), so tensors keep living in JS typed arrays. Returns null where Wasm SIMD is unavailable.
 */
export function wasmMatmulF32(a: Operand<HostArray>, b: Operand<HostArray>): Float32Array | null {
  const eng = getEngine();
  if (eng === null) return null;
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const out = new Float32Array(batch * m * n);
  if (out.length === 0 || k === 0) return out;
  const mp = roundUp(m, TILE_M);
  const np = roundUp(n, TILE_N);
  const aFloats = mp * k;
  const bFloats = np * k;
  const cFloats = mp * np;
  ensureBytes(eng.memory, 4 * (aFloats + bFloats + cFloats));
  const heap = new Float32Array(eng.memory.buffer);
  const bOff = aFloats;
  const cOff = aFloats + bFloats;
  // A batch stride of 0 on B (a weight broadcast over the batch) packs B once.
  const bShared = batch > 1 && b.view.strides[0] === 0;
  const threads = threadsFor(eng, m * n * k);
  for (let p = 0; p < batch; p++) {
    packA(a, p, heap, mp, k);
    if (p === 0 || !bShared) packB(b, p, heap, bOff, np, k);
    heap.fill(0, cOff, cOff + cFloats);
    for (let q0 = 0; q0 < k; q0 += KC) {
      const kc = Math.min(KC, k - q0);
      const args = [4 * q0 * TILE_M, 4 * (bOff + q0 * TILE_N), 4 * cOff, mp / TILE_M, np / TILE_N, kc, 4 * k * TILE_M, 4 * k * TILE_N, 4 * np];
      if (threads === 1) eng.kernel(...(args as Parameters<Kernel>));
      else eng.pool?.run(0, splitTiles(args, threads));
    }
    for (let i = 0; i < m; i++) {
      const src = cOff + i * np;
      out.set(heap.subarray(src, src + n), (p * m + i) * n);
    }
  }
  return out;
}

/** How many threads a problem of `macs` multiply-adds per batch item runs on. */
function threadsFor(eng: Engine, macs: number): number {
  if (macs < PARALLEL_MIN_MACS) return 1;
  if (eng.pool === undefined) {
    warnIfSingleThreaded();
    return 1;
  }
  return eng.pool.parallelism(getNumThreads());
}

/**
 * One kernel call's arguments split into `threads` calls over disjoint output tiles: by row tiles of A, or by
 * column panels of B where there are more of those. Each output element still sums its k terms in the same order,
 * so the split never changes a bit of the result.
 */
function splitTiles(args: readonly number[], threads: number): number[][] {
  const [ap, bp, cp, mt, nt, kc, aStride, bStride, ldc] = args;
  const byRows = mt >= nt;
  const tiles = byRows ? mt : nt;
  const parts = Math.min(threads, tiles);
  const calls: number[][] = [];
  for (let p = 0; p < parts; p++) {
    const t0 = Math.floor((p * tiles) / parts);
    const t1 = Math.floor(((p + 1) * tiles) / parts);
    calls.push(
      byRows
        ? [ap + t0 * aStride, bp, cp + t0 * TILE_M * ldc, t1 - t0, nt, kc, aStride, bStride, ldc]
        : [ap, bp + t0 * bStride, cp + t0 * TILE_N * 4, mt, t1 - t0, kc, aStride, bStride, ldc],
    );
  }
  return calls;
}

/** A's batch p into row tiles `[k][4]` at float 0, rows past m zero. */
function packA(a: Operand<HostArray>, p: number, heap: Float32Array, mp: number, k: number): void {
  const A = a.buffer as Float32Array;
  const [, m] = a.view.shape;
  const [aBatch, aRow, aCol] = a.view.strides;
  const base = a.view.offset + p * aBatch;
  for (let i = 0; i < mp; i++) {
    let dst = (i - (i % TILE_M)) * k + (i % TILE_M);
    if (i >= m) {
      for (let q = 0; q < k; q++, dst += TILE_M) heap[dst] = 0;
      continue;
    }
    let src = base + i * aRow;
    for (let q = 0; q < k; q++, dst += TILE_M, src += aCol) heap[dst] = A[src];
  }
}

/** B's batch p into column panels `[k][8]` at float `off`, columns past n zero. */
function packB(b: Operand<HostArray>, p: number, heap: Float32Array, off: number, np: number, k: number): void {
  const B = b.buffer as Float32Array;
  const n = b.view.shape[2];
  const [bBatch, bRow, bCol] = b.view.strides;
  const base = b.view.offset + p * bBatch;
  for (let q = 0; q < k; q++) {
    const src = base + q * bRow;
    for (let j = 0; j < np; j++) {
      heap[off + (j - (j % TILE_N)) * k + q * TILE_N + (j % TILE_N)] = j < n ? B[src + j * bCol] : 0;
    }
  }
}
