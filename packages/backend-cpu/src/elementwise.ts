import { INTEGER_UNARY_OPS, isFloatingDType, type BinaryOp, type DType, type NumberHostArray, type UnaryOp } from '@descent/backend';
import { erf, floatPow, intPow, roundHalfEven } from './math.js';
import type { Operands } from './wasm/elementwise-kernel.js';
import { wasmBinaryF32 } from './wasm/wasm-elementwise.js';
import { wasmCompareF32, wasmReluF32 } from './wasm/wasm-select.js';
import { FLOAT32_LOOPS, FLOAT32_SCALAR_RIGHT, FLOAT32_UNARY } from './float32-loops.js';

type Fn1 = (x: number) => number;
type Fn2 = (a: number, b: number) => number;

/**
 * One scalar function per unary op, computed in double; storing the result rounds it to float32 or wraps it to
 * an integer dtype (`abs(-128)` stored in an Int8Array is -128, `-1` in a Uint8Array is 255), as PyTorch does.
 */
export const UNARY: Record<UnaryOp, Fn1> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // sign(NaN) is 0 in PyTorch (pytorch/pytorch#41245)
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => (x < 0 ? 0 : x),
  erf,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  logicalNot: (x) => (x === 0 ? 1 : 0),
};

/** One scalar function per binary op for float operands. */
export const BINARY_FLOAT: Record<BinaryOp, Fn2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: floatPow,
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
};

/**
 * Integer operands of 32 bits or fewer: results wrap like int32 arithmetic, and storing them wraps them again to
 * int16, int8 or uint8 (the low bits agree); division truncates toward zero (-128 / -1 is 128, stored as -128).
 */
export const BINARY_INT: Record<BinaryOp, Fn2> = {
  ...BINARY_FLOAT,
  add: (a, b) => (a + b) | 0,
  sub: (a, b) => (a - b) | 0,
  mul: Math.imul,
  div: (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
  pow: intPow,
  maximum: (a, b) => (a > b ? a : b),
  minimum: (a, b) => (a < b ? a : b),
};

/**
 * bool arithmetic as in PyTorch: True + True is True (logical or), so results stay 0 or 1. On bools (0 or 1) the
 * integer maximum and minimum are logical or and and, which is how the tensor layer computes those.
 */
export const BINARY_BOOL: Record<BinaryOp, Fn2> = { ...BINARY_INT, add: (a, b) => (a !== 0 || b !== 0 ? 1 : 0) };

export function binaryFn(op: BinaryOp, dtype: DType): Fn2 {
  return isFloatingDType(dtype) ? BINARY_FLOAT[op] : dtype === 'bool' ? BINARY_BOOL[op] : BINARY_INT[op];
}

const INTEGER_UNARY = new Set<UnaryOp>(INTEGER_UNARY_OPS);

/** The unary op's function for `dtype`; ops PyTorch defines on floats only throw for integer and bool inputs. */
/**
 * float32 ops whose PyTorch kernel rounds to float between its steps (`1 / sqrtf(x)`, `1 / (1 + expf(-x))`): computed
 * in double at once they differ in the last bit for about a third of inputs (rsqrt) or half (sigmoid).
 */
export const FLOAT32_STEPWISE: Partial<Record<UnaryOp, Fn1>> = {
  rsqrt: (x) => 1 / Math.fround(Math.sqrt(x)),
  sigmoid: (x) => 1 / Math.fround(1 + Math.fround(Math.exp(-x))),
};

export function unaryFn(op: UnaryOp, dtype: DType): Fn1 {
  if (dtype !== 'float32' && !isFloatingDType(dtype) && !INTEGER_UNARY.has(op)) {
    throw new TypeError(`unary ${op} is not defined for ${dtype}: the tensor layer promotes integer and bool inputs to a floating dtype first`);
  }
  return (dtype === 'float32' ? FLOAT32_STEPWISE[op] : undefined) ?? UNARY[op];
}

/**
 * The dtypes training runs in (float32, int32, bool) keep their loops to themselves: a loop that also met
 * Float64Array, Int16Array and Int8Array would see more array types than V8 keeps fast paths for.
 */
function isMainDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

/**
 * float32 add, sub, mul, div, maximum, minimum, comparisons, where and ReLU over at least this many elements run
 * on the Wasm SIMD kernels (bit-identical results). Measured on x64 Node 20 (an add, output allocation included): even at 256 elements,
 * 2x faster at 1024, 3-4x from 4096; the margin keeps small tensors, W3's [2,3] above all, on the JS loops.
 */
export const WASM_ELEMENTWISE_MIN = 1024;

/**
 * The Wasm SIMD path for a large float32 binary op (arithmetic to floats, comparisons to bools); false where it
 * does not apply and the JS loop runs.
 */
export function simdBinary(
  op: BinaryOp,
  operands: Operands,
  x: NumberHostArray,
  xo: number,
  y: NumberHostArray,
  yo: number,
  out: NumberHostArray,
  n: number,
): boolean {
  if (n < WASM_ELEMENTWISE_MIN || !(x instanceof Float32Array) || !(y instanceof Float32Array)) return false;
  if (out instanceof Float32Array) return wasmBinaryF32(op, operands, x, xo, y, yo, out, n);
  return out instanceof Uint8Array && wasmCompareF32(op, operands, x, xo, y, yo, out, n);
}

export function binaryLoop(
  op: BinaryOp,
  dtype: DType,
  x: NumberHostArray,
  xo: number,
  y: NumberHostArray,
  yo: number,
  out: NumberHostArray,
  n: number,
): void {
  if (dtype === 'float32' && n >= WASM_ELEMENTWISE_MIN && simdBinary(op, 'vv', x, xo, y, yo, out, n)) return;
  const fast = dtype === 'float32' ? FLOAT32_LOOPS[op] : undefined;
  if (fast) return fast(x, xo, y, yo, out, n);
  const fn = binaryFn(op, dtype);
  if (!isMainDType(dtype)) return otherBinaryLoop(fn, x, xo, y, yo, out, n);
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i], y[yo + i]);
}

function otherBinaryLoop(fn: Fn2, x: NumberHostArray, xo: number, y: NumberHostArray, yo: number, out: NumberHostArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i], y[yo + i]);
}

export function binaryScalarRight(op: BinaryOp, dtype: DType, x: NumberHostArray, xo: number, s: number, out: NumberHostArray, n: number): void {
  if (dtype === 'float32' && n >= WASM_ELEMENTWISE_MIN && simdBinary(op, 'vs', x, xo, Float32Array.of(s), 0, out, n)) return;
  const fast = dtype === 'float32' ? FLOAT32_SCALAR_RIGHT[op] : undefined;
  if (fast) return fast(x, xo, s, out, n);
  const fn = binaryFn(op, dtype);
  if (!isMainDType(dtype)) return otherScalarLoop(fn, x, xo, s, out, n);
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i], s);
}

function otherScalarLoop(fn: Fn2, x: NumberHostArray, xo: number, s: number, out: NumberHostArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i], s);
}

/** `out[i] = op(x[xo + i])`, with the same split of loops by dtype as the binary ones. */
export function unaryLoop(op: UnaryOp, dtype: DType, x: NumberHostArray, xo: number, out: NumberHostArray, n: number): void {
  if (op === 'relu' && n >= WASM_ELEMENTWISE_MIN && x instanceof Float32Array && out instanceof Float32Array && wasmReluF32(x, xo, out, n)) return;
  const fast = dtype === 'float32' ? FLOAT32_UNARY[op] : undefined;
  if (fast) return fast(x, xo, out, n);
  const fn = unaryFn(op, dtype);
  if (!isMainDType(dtype)) return otherUnaryLoop(fn, x, xo, out, n);
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i]);
}

function otherUnaryLoop(fn: Fn1, x: NumberHostArray, xo: number, out: NumberHostArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i]);
}
