import type { BinaryOp, DType, HostArray, UnaryOp } from '@descent/backend';
import { erf, floatPow, intPow, roundHalfEven } from './math.js';

type Fn1 = (x: number) => number;
type Fn2 = (a: number, b: number) => number;

/** One scalar function per unary op; results are rounded to the output dtype when stored. */
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

/** Integer operands wrap like int32 arithmetic; division truncates toward zero. */
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
  return dtype === 'float32' ? BINARY_FLOAT[op] : dtype === 'int32' ? BINARY_INT[op] : BINARY_BOOL[op];
}

type Loop = (x: HostArray, xo: number, y: HostArray, yo: number, out: HostArray, n: number) => void;

/**
 * Dedicated loops for the float ops training spends its time in, so the arithmetic inlines instead of calling
 * through a table per element; every other op and dtype takes the generic loop.
 */
const FLOAT_LOOPS: Partial<Record<BinaryOp, Loop>> = {
  add: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] + y[yo + i];
  },
  sub: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] - y[yo + i];
  },
  mul: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] * y[yo + i];
  },
  div: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] / y[yo + i];
  },
};

type ScalarLoop = (x: HostArray, xo: number, s: number, out: HostArray, n: number) => void;

const FLOAT_SCALAR_LOOPS: Partial<Record<BinaryOp, ScalarLoop>> = {
  add: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] + s;
  },
  sub: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] - s;
  },
  mul: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] * s;
  },
  div: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] / s;
  },
};

export function binaryLoop(op: BinaryOp, dtype: DType, x: HostArray, xo: number, y: HostArray, yo: number, out: HostArray, n: number): void {
  const fast = dtype === 'float32' ? FLOAT_LOOPS[op] : undefined;
  if (fast) return fast(x, xo, y, yo, out, n);
  const fn = binaryFn(op, dtype);
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i], y[yo + i]);
}

export function binaryScalarRight(op: BinaryOp, dtype: DType, x: HostArray, xo: number, s: number, out: HostArray, n: number): void {
  const fast = dtype === 'float32' ? FLOAT_SCALAR_LOOPS[op] : undefined;
  if (fast) return fast(x, xo, s, out, n);
  const fn = binaryFn(op, dtype);
  for (let i = 0; i < n; i++) out[i] = fn(x[xo + i], s);
}
