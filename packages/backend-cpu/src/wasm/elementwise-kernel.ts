import { blockVoid, Code, moduleBytes, op, simdOp, valType } from './wasm-bytes.js';

/** The float32 binary ops with a Wasm SIMD kernel. */
export type SimdBinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';

export const SIMD_BINARY_OPS: ReadonlySet<string> = new Set<SimdBinaryOp>(['add', 'sub', 'mul', 'div', 'maximum', 'minimum']);

/** Which operands are one float splat to every lane (a broadcast scalar) rather than a vector stream. */
export type Operands = 'vv' | 'vs' | 'sv';

/** The float32 bit pattern JS stores for `NaN`, so NaN results match the JS path bit for bit. */
const CANONICAL_NAN = 0x7fc00000;

/**
 * `x op y` on two v128 locals. add/sub/mul/div are IEEE float32 ops, correctly rounded like the JS path's double
 * result rounded once on store. maximum(x, y) is JS's `x > y ? x : y`, which is `pmax(y, x)` (so max(+0, -0) is
 * -0 as in JS), with any NaN operand giving the canonical NaN, as `NaN` does in JS; minimum likewise.
 */
function emitOp(c: Code, name: SimdBinaryOp, x: number, y: number): void {
  const arithmetic = { add: simdOp.f32x4Add, sub: simdOp.f32x4Sub, mul: simdOp.f32x4Mul, div: simdOp.f32x4Div } as const;
  if (name === 'add' || name === 'mul') {
    // Commutative: y first, because with two NaN operands the result carries the first one's payload, and V8's
    // optimized JS `x + y` / `x * y` keeps y's.
    c.get(y).get(x).simd(arithmetic[name]);
    return;
  }
  if (name === 'sub' || name === 'div') {
    c.get(x).get(y).simd(arithmetic[name]);
    return;
  }
  c.v128Splat32(CANONICAL_NAN);
  c.get(y).get(x).simd(name === 'maximum' ? simdOp.f32x4Pmax : simdOp.f32x4Pmin);
  c.get(x).get(x).simd(simdOp.f32x4Ne).get(y).get(y).simd(simdOp.f32x4Ne).simd(simdOp.v128Or);
  c.simd(simdOp.v128Bitselect);
}

/**
 * `binary(xp, yp, outp, vectors)`: `vectors` (at least 1) groups of four floats, `out = x op y`, at byte addresses
 * in the imported memory. A scalar operand ('vs', 'sv') is one float at its address, splat once before the loop.
 */
export function binaryKernelBytes(name: SimdBinaryOp, operands: Operands): Uint8Array {
  const [xp, yp, outp, count] = [0, 1, 2, 3];
  const [x, y] = [4, 5];
  const c = new Code();
  const xScalar = operands === 'sv';
  const yScalar = operands === 'vs';
  if (xScalar) c.get(xp).simdMem(simdOp.v128Load32Splat, 2, 0).set(x);
  if (yScalar) c.get(yp).simdMem(simdOp.v128Load32Splat, 2, 0).set(y);
  const advance = (local: number): void => {
    c.get(local).i32(16).emit(op.i32Add).set(local);
  };
  c.emit(op.loop, blockVoid);
  if (!xScalar) c.get(xp).simdMem(simdOp.v128Load, 4, 0).set(x);
  if (!yScalar) c.get(yp).simdMem(simdOp.v128Load, 4, 0).set(y);
  c.get(outp);
  emitOp(c, name, x, y);
  c.simdMem(simdOp.v128Store, 4, 0);
  if (!xScalar) advance(xp);
  if (!yScalar) advance(yp);
  advance(outp);
  c.get(count).i32(1).emit(op.i32Sub).tee(count).emit(op.brIf, 0, op.end);
  return moduleBytes({ name: 'binary', params: new Array<number>(4).fill(valType.i32), locals: [[2, valType.v128]], code: c });
}
