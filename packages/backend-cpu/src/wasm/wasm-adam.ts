import type { AdamUpdate } from '@descent/backend';
import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';
import { memoryKernel } from './memory-kernels.js';
import { ensureBytes, kernelMemory } from './wasm-memory.js';

type Kernel = (pp: number, gp: number, mp: number, vp: number, constants: number, vectors: number) => void;

/** The four streams go through the Wasm memory in chunks of this many floats (256 KiB in all, within L2). */
const CHUNK = 16384;
const [P_SLOT, G_SLOT, M_SLOT, V_SLOT, CONSTANTS_SLOT] = [0, CHUNK, 2 * CHUNK, 3 * CHUNK, 4 * CHUNK];
/** The step's float32 constants, in this order at CONSTANTS_SLOT. */
const CONSTANTS = ['decay', 'beta1', 'gradScale1', 'beta2', 'gradScale2', 'negStepSize', 'biasCorrection2Sqrt', 'eps'] as const;
type Constants = Record<(typeof CONSTANTS)[number], number>;

/**
 * `adam(pp, gp, mp, vp, constants, vectors)`: one Adam step (AdamW's when `decoupled`) in place on `vectors` groups
 * of four floats, op for op as `adamUpdateF32`'s common case computes it, each op an IEEE float32 op (a double
 * result rounded once to float32 is the float32 result), so every non-NaN result has the JS loop's bits:
 * `w = p * decay` (AdamW), `m = m*beta1 + g*gradScale1`, `v = v*beta2 + (g*gradScale2)*g`,
 * `p = w + (m*negStepSize) / (sqrt(v)/biasCorrection2Sqrt + eps)`.
 */
export function adamKernelBytes(decoupled: boolean): Uint8Array {
  const [pp, gp, mp, vp, constants, count] = [0, 1, 2, 3, 4, 5];
  const k = (name: (typeof CONSTANTS)[number]): number => 6 + CONSTANTS.indexOf(name);
  const [g, m, v, w] = [14, 15, 16, 17];
  const c = new Code();
  CONSTANTS.forEach((name, i) => c.get(constants).simdMem(simdOp.v128Load32Splat, 2, 4 * i).set(k(name)));
  const load = (ptr: number, local: number): void => void c.get(ptr).simdMem(simdOp.v128Load, 4, 0).set(local);
  c.emit(op.loop, blockVoid);
  load(gp, g);
  load(pp, w);
  if (decoupled) c.get(w).get(k('decay')).simd(simdOp.f32x4Mul).set(w);
  // m = m*beta1 + g*gradScale1
  c.get(mp).get(mp).simdMem(simdOp.v128Load, 4, 0).get(k('beta1')).simd(simdOp.f32x4Mul);
  c.get(g).get(k('gradScale1')).simd(simdOp.f32x4Mul).simd(simdOp.f32x4Add).tee(m).simdMem(simdOp.v128Store, 4, 0);
  // v = v*beta2 + (g*gradScale2)*g
  c.get(vp).get(vp).simdMem(simdOp.v128Load, 4, 0).get(k('beta2')).simd(simdOp.f32x4Mul);
  c.get(g).get(k('gradScale2')).simd(simdOp.f32x4Mul).get(g).simd(simdOp.f32x4Mul).simd(simdOp.f32x4Add).tee(v).simdMem(simdOp.v128Store, 4, 0);
  // p = w + (m*negStepSize) / (sqrt(v)/biasCorrection2Sqrt + eps)
  c.get(pp).get(w).get(m).get(k('negStepSize')).simd(simdOp.f32x4Mul);
  c.get(v).simd(simdOp.f32x4Sqrt).get(k('biasCorrection2Sqrt')).simd(simdOp.f32x4Div).get(k('eps')).simd(simdOp.f32x4Add);
  c.simd(simdOp.f32x4Div).simd(simdOp.f32x4Add).simdMem(simdOp.v128Store, 4, 0);
  for (const ptr of [pp, gp, mp, vp]) c.get(ptr).i32(16).emit(op.i32Add).set(ptr);
  c.get(count).i32(1).emit(op.i32Sub).tee(count).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'adam', params: new Array<number>(6).fill(valType.i32), locals: [[CONSTANTS.length + 4, valType.v128]], code: c });
}

/** Whether the kernel computes this step: no maximize, AMSGrad or coupled weight decay, and no 1 or 0 shortcut. */
export function adamKernelCovers(h: AdamUpdate, c: Constants): boolean {
  return !h.maximize && (h.weightDecay === 0 || h.decoupled) && 1 - h.beta1 !== 1 && h.beta2 !== 0 && c.negStepSize !== 1;
}

/**
 * One Adam/AdamW step in place for `n` floats on the Wasm SIMD kernel, with the constants `adamUpdateF32`
 * rounded; false (nothing written) where the runtime has no Wasm SIMD, and the caller runs its loop.
 */
export function wasmAdamF32(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number, decoupled: boolean, constants: Constants): boolean {
  const k = memoryKernel<Kernel>(`adam/${decoupled}`, 'adam', () => adamKernelBytes(decoupled));
  const memory = kernelMemory();
  if (k === null || memory === undefined) return false;
  ensureBytes(memory, 4 * (CONSTANTS_SLOT + CONSTANTS.length));
  const heap = new Float32Array(memory.buffer, 0, CONSTANTS_SLOT + CONSTANTS.length);
  CONSTANTS.forEach((name, i) => (heap[CONSTANTS_SLOT + i] = constants[name]));
  const streams: [Float32Array, number][] = [[p, P_SLOT], [g, G_SLOT], [m, M_SLOT], [v, V_SLOT]];
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    for (const [array, slot] of streams) heap.set(array.subarray(start, start + len), slot);
    // Lanes past len compute on stale floats and are never copied out.
    k(4 * P_SLOT, 4 * G_SLOT, 4 * M_SLOT, 4 * V_SLOT, 4 * CONSTANTS_SLOT, Math.ceil(len / 4));
    for (const [array, slot] of [streams[0], streams[2], streams[3]]) array.set(heap.subarray(slot, slot + len), start);
  }
  return true;
}
