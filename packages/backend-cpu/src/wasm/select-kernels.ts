import type { Operands } from './elementwise-kernel.js';
import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/**
 * Wasm SIMD kernels for the float32 ops that pick or compare rather than compute: comparisons to bool bytes,
 * `where`, and ReLU. In JS each is a branch per element, which random signs mispredict half the time; here they
 * are lane masks. Picked values keep their bits, except that a signaling NaN comes out quiet, as the JS path's
 * float32 -> double -> float32 round trip makes it (V8 sets the quiet bit and keeps the payload).
 */

export type CompareOp = 'eq' | 'ne' | 'lt' | 'le';

export const SIMD_COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'lt', 'le']);

const COMPARE = { eq: simdOp.f32x4Eq, ne: simdOp.f32x4Ne, lt: simdOp.f32x4Lt, le: simdOp.f32x4Le } as const;

/** Elements per loop iteration of the comparison and `where` kernels: four float vectors, one byte vector. */
export const SELECT_GROUP = 16;

const QUIET_BIT = 0x00400000;

/** Replaces the v128 in `local` by itself with the quiet bit set in its NaN lanes (leaves it on the stack). */
function quietNaNs(c: Code, local: number): void {
  c.get(local).get(local).get(local).simd(simdOp.f32x4Ne).v128Splat32(QUIET_BIT).simd(simdOp.v128And).simd(simdOp.v128Or);
}

/** Loads vector `v` (of a group) of operand `ptr` into `local`, unless the operand is a splat scalar already there. */
function loadOperand(c: Code, ptr: number, local: number, scalar: boolean, v: number): void {
  if (!scalar) c.get(ptr).simdMem(simdOp.v128Load, 4, 16 * v).set(local);
}

function advance(c: Code, local: number, bytes: number): void {
  c.get(local).i32(bytes).emit(op.i32Add).set(local);
}

/**
 * `compare(xp, yp, outp, groups)`: `out[i] = x[i] op y[i] ? 1 : 0` for `groups` groups of 16, floats in, bytes out.
 * A scalar operand ('vs', 'sv') is one float at its address.
 */
export function compareKernelBytes(name: CompareOp, operands: Operands): Uint8Array {
  const [xp, yp, outp, count] = [0, 1, 2, 3];
  const [x, y] = [4, 5];
  const mask = (v: number): number => 6 + v;
  const xScalar = operands === 'sv';
  const yScalar = operands === 'vs';
  const c = new Code();
  if (xScalar) c.get(xp).simdMem(simdOp.v128Load32Splat, 2, 0).set(x);
  if (yScalar) c.get(yp).simdMem(simdOp.v128Load32Splat, 2, 0).set(y);
  c.emit(op.loop, blockVoid);
  for (let v = 0; v < 4; v++) {
    loadOperand(c, xp, x, xScalar, v);
    loadOperand(c, yp, y, yScalar, v);
    c.get(x).get(y).simd(COMPARE[name]).set(mask(v));
  }
  // Four masks of -1/0 words narrow to sixteen -1/0 bytes; & 1 makes them bools.
  c.get(outp);
  c.get(mask(0)).get(mask(1)).simd(simdOp.i16x8NarrowI32x4S);
  c.get(mask(2)).get(mask(3)).simd(simdOp.i16x8NarrowI32x4S);
  c.simd(simdOp.i8x16NarrowI16x8S).v128Splat32(0x01010101).simd(simdOp.v128And);
  c.simdMem(simdOp.v128Store, 4, 0);
  if (!xScalar) advance(c, xp, 64);
  if (!yScalar) advance(c, yp, 64);
  advance(c, outp, 16);
  c.get(count).i32(1).emit(op.i32Sub).tee(count).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'compare', params: new Array<number>(4).fill(valType.i32), locals: [[6, valType.v128]], code: c });
}

/**
 * `where(cp, xp, yp, outp, groups)`: `out[i] = cond[i] !== 0 ? x[i] : y[i]` for groups of 16; cond is bytes.
 * A scalar branch ('vs': y, 'sv': x) is one float at its address.
 */
export function whereKernelBytes(operands: Operands): Uint8Array {
  const [cp, xp, yp, outp, count] = [0, 1, 2, 3, 4];
  const [x, y, bytes, half, r] = [5, 6, 7, 8, 9];
  const mask = (v: number): number => 10 + v;
  const xScalar = operands === 'sv';
  const yScalar = operands === 'vs';
  const c = new Code();
  if (xScalar) c.get(xp).simdMem(simdOp.v128Load32Splat, 2, 0).set(x);
  if (yScalar) c.get(yp).simdMem(simdOp.v128Load32Splat, 2, 0).set(y);
  c.emit(op.loop, blockVoid);
  // Sixteen condition bytes widen to four masks of whole lanes.
  c.get(cp).simdMem(simdOp.v128Load, 4, 0).v128Zero().simd(simdOp.i8x16Ne).set(bytes);
  for (const [h, extend] of [
    [0, simdOp.i16x8ExtendLowI8x16S],
    [1, simdOp.i16x8ExtendHighI8x16S],
  ] as const) {
    c.get(bytes).simd(extend).set(half);
    c.get(half).simd(simdOp.i32x4ExtendLowI16x8S).set(mask(2 * h));
    c.get(half).simd(simdOp.i32x4ExtendHighI16x8S).set(mask(2 * h + 1));
  }
  for (let v = 0; v < 4; v++) {
    loadOperand(c, xp, x, xScalar, v);
    loadOperand(c, yp, y, yScalar, v);
    c.get(x).get(y).get(mask(v)).simd(simdOp.v128Bitselect).set(r);
    c.get(outp);
    quietNaNs(c, r);
    c.simdMem(simdOp.v128Store, 4, 16 * v);
  }
  advance(c, cp, 16);
  if (!xScalar) advance(c, xp, 64);
  if (!yScalar) advance(c, yp, 64);
  advance(c, outp, 64);
  c.get(count).i32(1).emit(op.i32Sub).tee(count).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'where', params: new Array<number>(5).fill(valType.i32), locals: [[9, valType.v128]], code: c });
}

/** `relu(xp, outp, vectors)`: `out[i] = x[i] < 0 ? 0 : x[i]` (so -0 and NaN pass), four floats per vector. */
export function reluKernelBytes(): Uint8Array {
  const [xp, outp, count] = [0, 1, 2];
  const [x, r] = [3, 4];
  const c = new Code();
  c.emit(op.loop, blockVoid);
  c.get(xp).simdMem(simdOp.v128Load, 4, 0).set(x);
  c.v128Zero().get(x).get(x).v128Zero().simd(simdOp.f32x4Lt).simd(simdOp.v128Bitselect).set(r);
  c.get(outp);
  quietNaNs(c, r);
  c.simdMem(simdOp.v128Store, 4, 0);
  advance(c, xp, 16);
  advance(c, outp, 16);
  c.get(count).i32(1).emit(op.i32Sub).tee(count).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'relu', params: new Array<number>(3).fill(valType.i32), locals: [[2, valType.v128]], code: c });
}
