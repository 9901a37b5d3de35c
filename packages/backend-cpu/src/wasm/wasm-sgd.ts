import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';
import { memoryKernel } from './memory-kernels.js';
import { ensureBytes, kernelMemory } from './wasm-memory.js';

type Kernel = (pp: number, gp: number, scalep: number, vectors: number) => void;

/**
 * Plain SGD streams through the Wasm memory in chunks of this many floats, as the elementwise kernels do
 * (wasm-elementwise.ts): two 64 KiB slots stay in L1/L2 between the copies in, the kernel and the copy out.
 */
const CHUNK = 16384;
const P_SLOT = 0;
const G_SLOT = CHUNK;
const SCALE_SLOT = 2 * CHUNK;

/**
 * `sgd(pp, gp, scalep, vectors)`: `p = p + g * scale` on `vectors` groups of four floats, the scale one float at
 * `scalep`. Each op is an IEEE float32 op, so the bits are the JS loop's (a double product or sum rounded once to
 * float32 is the float32 result); operands go in the order the elementwise kernels use for JS's NaN payloads.
 */
export function sgdKernelBytes(): Uint8Array {
  const [pp, gp, scalep, count] = [0, 1, 2, 3];
  const scale = 4;
  const c = new Code();
  c.get(scalep).simdMem(simdOp.v128Load32Splat, 2, 0).set(scale);
  c.emit(op.loop, blockVoid);
  c.get(pp);
  c.get(scale).get(gp).simdMem(simdOp.v128Load, 4, 0).simd(simdOp.f32x4Mul);
  c.get(pp).simdMem(simdOp.v128Load, 4, 0).simd(simdOp.f32x4Add);
  c.simdMem(simdOp.v128Store, 4, 0);
  for (const local of [pp, gp]) c.get(local).i32(16).emit(op.i32Add).set(local);
  c.get(count).i32(1).emit(op.i32Sub).tee(count).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'sgd', params: new Array<number>(4).fill(valType.i32), locals: [[1, valType.v128]], code: c });
}

/**
 * float32 `p[i] = p[i] + g[i] * scale` in place for `n` elements on the Wasm SIMD kernel, bit for bit the JS
 * loop's result. False (nothing written) where the runtime has no Wasm SIMD, and the caller runs its loop.
 */
export function wasmSgdF32(p: Float32Array, g: Float32Array, scale: number, n: number): boolean {
  const k = memoryKernel<Kernel>('sgd', 'sgd', sgdKernelBytes);
  const memory = kernelMemory();
  if (k === null || memory === undefined) return false;
  ensureBytes(memory, 4 * (2 * CHUNK + 4));
  const heap = new Float32Array(memory.buffer, 0, 2 * CHUNK + 4);
  heap[SCALE_SLOT] = scale;
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    heap.set(p.subarray(start, start + len), P_SLOT);
    heap.set(g.subarray(start, start + len), G_SLOT);
    // Lanes past len compute on stale floats and are never copied out.
    k(4 * P_SLOT, 4 * G_SLOT, 4 * SCALE_SLOT, Math.ceil(len / 4));
    p.set(heap.subarray(P_SLOT, P_SLOT + len), start);
  }
  return true;
}
