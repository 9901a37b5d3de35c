import type { HostArray, Operand } from '@descent/backend';
import { matmulKernelBytes, TILE_M, TILE_N } from './matmul-kernel.js';
import { simdSupport } from './simd-support.js';
import { wasmApi, type WasmMemory } from './wasm-api.js';
import { ensureBytes, kernelMemory } from './wasm-memory.js';

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

interface Engine {
  memory: WasmMemory;
  kernel: Kernel;
}

let engine: Engine | null | undefined;

/** The compiled kernel and its memory, created on first use; null where the runtime lacks Wasm SIMD. */
function getEngine(): Engine | null {
  if (engine !== undefined) return engine;
  const support = simdSupport();
  const memory = support.simd128 ? kernelMemory() : undefined;
  if (wasmApi === undefined || memory === undefined) return (engine = null);
  // Plain SIMD128 (mul + add) keeps results identical across runtimes; relaxed FMA would differ by machine.
  const module = new wasmApi.Module(matmulKernelBytes(false));
  const instance = new wasmApi.Instance(module, { env: { memory } });
  engine = { memory, kernel: instance.exports.matmul as Kernel };
  return engine;
}

export function wasmMatmulAvailable(): boolean {
  return getEngine() !== null;
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
  for (let p = 0; p < batch; p++) {
    packA(a, p, heap, mp, k);
    if (p === 0 || !bShared) packB(b, p, heap, bOff, np, k);
    heap.fill(0, cOff, cOff + cFloats);
    for (let q0 = 0; q0 < k; q0 += KC) {
      const kc = Math.min(KC, k - q0);
      eng.kernel(4 * q0 * TILE_M, 4 * (bOff + q0 * TILE_N), 4 * cOff, mp / TILE_M, np / TILE_N, kc, 4 * k * TILE_M, 4 * k * TILE_N, 4 * np);
    }
    for (let i = 0; i < m; i++) {
      const src = cOff + i * np;
      out.set(heap.subarray(src, src + n), (p * m + i) * n);
    }
  }
  return out;
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
