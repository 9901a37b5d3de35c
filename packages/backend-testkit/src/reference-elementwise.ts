/** The oracle's elementwise ops: unary, binary and where, in every dtype (reference.ts says what the oracle is). */
import type { BinaryOp, DType, UnaryOp } from '@descent/backend';
import { isFloatDType, isIntegerDType, toBigInt, toDType, type Value } from './reference-core.js';

/**
 * erf by composite Simpson's rule on 2/sqrt(pi) * exp(-t^2). 4,000 intervals give an absolute error below 1e-11
 * on [0, 7] (enough for float32); float64 asks for 100,000, within a few ulps.
 */
export function erfReference(x: number, intervals = 4000): number {
  if (Number.isNaN(x)) return NaN;
  const upper = Math.min(Math.abs(x), 7);
  const h = upper / intervals;
  // Compensated (Kahan) summation: the rounding of 100,000 additions would otherwise dominate the error.
  let total = 1 + Math.exp(-upper * upper);
  let carry = 0;
  for (let i = 1; i < intervals; i++) {
    const t = i * h;
    const term = (i % 2 === 1 ? 4 : 2) * Math.exp(-t * t) - carry;
    const next = total + term;
    carry = next - total - term;
    total = next;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * (h / 3) * total;
}

/** Round half to even (torch.round), by comparing the fractional part with one half. */
export function roundHalfToEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** C's pow (what PyTorch computes), where it differs from Math.pow: pow(1, y) = 1 and pow(-1, +-inf) = 1. */
export function powReference(a: number, b: number): number {
  if (b === 0 || a === 1) return 1;
  if (a === -1 && !Number.isFinite(b) && !Number.isNaN(b)) return 1;
  return Math.pow(a, b);
}

const truthy = (x: Value): boolean => x !== 0 && x !== 0n;

/** Float unary results before rounding to the output dtype (logicalNot's output is bool, the rest keep the dtype). */
const FLOAT_UNARY: Record<UnaryOp, (x: number, dtype: DType) => number> = {
  neg: (x) => -x,
  abs: (x) => (x < 0 ? -x : x),
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), // sign(NaN) is 0 in PyTorch (pytorch/pytorch#41245), unlike NumPy
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  relu: (x) => (x > 0 || Number.isNaN(x) ? x : 0),
  erf: (x, dtype) => erfReference(x, dtype === 'float64' ? 100_000 : 4000),
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfToEven,
  logicalNot: (x) => (truthy(x) ? 0 : 1),
};

/** Integer unary ops, exactly in BigInt (the result wraps to the dtype when stored); PyTorch promotes the rest. */
const INT_UNARY: Partial<Record<UnaryOp, (x: bigint) => bigint>> = {
  neg: (x) => -x,
  abs: (x) => (x < 0n ? -x : x),
  sign: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n),
  relu: (x) => (x > 0n ? x : 0n),
  floor: (x) => x,
  ceil: (x) => x,
  round: (x) => x,
  logicalNot: (x) => (x === 0n ? 1n : 0n),
};

/** bool unary ops PyTorch defines: not, and sign (which is the identity on 0 and 1). */
const BOOL_UNARY: Partial<Record<UnaryOp, (x: Value) => number>> = {
  logicalNot: (x) => (truthy(x) ? 0 : 1),
  sign: (x) => (truthy(x) ? 1 : 0),
};

export function unaryOutputDType(op: UnaryOp, dtype: DType): DType {
  return op === 'logicalNot' ? 'bool' : dtype;
}

export function unaryReference(op: UnaryOp, dtype: DType, values: readonly Value[]): Value[] {
  const out = unaryOutputDType(op, dtype);
  if (isFloatDType(dtype)) return values.map((x) => toDType(out, FLOAT_UNARY[op](Number(x), dtype)));
  const fn = isIntegerDType(dtype) ? INT_UNARY[op] : undefined;
  if (fn) return values.map((x) => toDType(out, fn(toBigInt(x))));
  const boolFn = dtype === 'bool' ? BOOL_UNARY[op] : undefined;
  if (boolFn) return values.map((x) => toDType(out, boolFn(x)));
  throw new Error(`the reference has no ${op} for ${dtype}: PyTorch promotes it to a floating dtype first`);
}

const COMPARE: Record<'eq' | 'ne' | 'lt' | 'le', (a: Value, b: Value) => number> = {
  eq: (a, b) => Number(a === b),
  ne: (a, b) => Number(a !== b),
  lt: (a, b) => Number(a < b),
  le: (a, b) => Number(a <= b),
};

const FLOAT_BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  ...COMPARE,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powReference,
  maximum: Math.max, // Math.max and Math.min propagate NaN, as torch.maximum does
  minimum: Math.min,
};

/** PyTorch's integer pow for a negative exponent: 1 for base 1, +-1 for base -1, 0 otherwise. */
function intPowReference(a: bigint, b: bigint): bigint {
  if (b >= 0n) return a ** b;
  if (a === 1n) return 1n;
  if (a === -1n) return b % 2n === 0n ? 1n : -1n;
  return 0n;
}

/** Integer arithmetic, exact in BigInt; the result wraps when stored in the dtype (every integer dtype, int64 too). */
const INT_BINARY: Record<BinaryOp, (a: bigint, b: bigint) => bigint> = {
  eq: (a, b) => BigInt(a === b),
  ne: (a, b) => BigInt(a !== b),
  lt: (a, b) => BigInt(a < b),
  le: (a, b) => BigInt(a <= b),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b, // BigInt division truncates toward zero
  pow: intPowReference,
  maximum: (a, b) => (a > b ? a : b),
  minimum: (a, b) => (a < b ? a : b),
};

/** bool arithmetic as PyTorch defines it: `+` is or, `*` is and; sub, div and pow are rejected above the backend. */
const BOOL_BINARY: Partial<Record<BinaryOp, (a: Value, b: Value) => number>> = {
  ...COMPARE,
  add: (a, b) => Number(truthy(a) || truthy(b)),
  mul: (a, b) => Number(truthy(a) && truthy(b)),
  maximum: (a, b) => Number(truthy(a) || truthy(b)),
  minimum: (a, b) => Number(truthy(a) && truthy(b)),
};

export function isComparison(op: BinaryOp): boolean {
  return op in COMPARE;
}

export function binaryOutputDType(op: BinaryOp, dtype: DType): DType {
  return isComparison(op) ? 'bool' : dtype;
}

export function binaryReference(op: BinaryOp, dtype: DType, a: readonly Value[], b: readonly Value[]): Value[] {
  const out = binaryOutputDType(op, dtype);
  if (isFloatDType(dtype)) return a.map((x, i) => toDType(out, FLOAT_BINARY[op](Number(x), Number(b[i]))));
  if (isIntegerDType(dtype)) return a.map((x, i) => toDType(out, INT_BINARY[op](toBigInt(x), toBigInt(b[i]))));
  const fn = BOOL_BINARY[op];
  if (!fn) throw new Error(`the reference has no ${op} for ${dtype}: PyTorch rejects it before the backend`);
  return a.map((x, i) => toDType(out, fn(x, b[i])));
}

export function whereReference(cond: readonly Value[], a: readonly Value[], b: readonly Value[]): Value[] {
  return cond.map((c, i) => (truthy(c) ? a[i] : b[i]));
}
