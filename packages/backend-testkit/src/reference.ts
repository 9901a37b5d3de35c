/**
 * The suite's oracle: naive strided loops over `number[]`, written independently of every backend (index math by
 * division instead of odometers, BigInt for int32 wrap-around, Simpson's rule for erf). float32 results are
 * computed in double precision and rounded once with `Math.fround`.
 */
import { numelOf, type BinaryOp, type DType, type ReduceOp, type UnaryOp, type View } from '@descent/backend';

/** Row-major coordinates of flat index `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const coords = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return coords;
}

/** Row-major flat index of `coords` in `shape`. */
export function ravel(coords: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + coords[d];
  return flat;
}

/** Where the element at `coords` of `view` lives in its buffer. */
export function positionOf(view: View, coords: readonly number[]): number {
  let position = view.offset;
  for (let d = 0; d < coords.length; d++) position += coords[d] * view.strides[d];
  return position;
}

/** The elements of `view` in row-major order. */
export function readView(backing: readonly number[], view: View): number[] {
  const n = numelOf(view.shape);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = backing[positionOf(view, unravel(i, view.shape))];
  return out;
}

/** A copy of `backing` with `values` (row-major) written through `view`. */
export function writeView(backing: readonly number[], view: View, values: readonly number[]): number[] {
  const out = backing.slice();
  const n = numelOf(view.shape);
  for (let i = 0; i < n; i++) out[positionOf(view, unravel(i, view.shape))] = values[i];
  return out;
}

function wrapInt32(value: bigint): number {
  return Number(BigInt.asIntN(32, value));
}

/** Stores `value` as `dtype` would: float32 rounds to nearest, int32 truncates and wraps, bool tests non-zero. */
export function toDType(dtype: DType, value: number): number {
  if (dtype === 'float32') return Math.fround(value);
  if (dtype === 'int32') return wrapInt32(BigInt(Math.trunc(value)));
  return value !== 0 ? 1 : 0;
}

export function castReference(values: readonly number[], to: DType): number[] {
  return values.map((v) => toDType(to, v));
}

/** erf by composite Simpson's rule on 2/sqrt(pi) * exp(-t^2): absolute error below 1e-11 on [0, 7]. */
export function erfReference(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const upper = Math.min(Math.abs(x), 7);
  const intervals = 4000;
  const h = upper / intervals;
  let total = 1 + Math.exp(-upper * upper);
  for (let i = 1; i < intervals; i++) {
    const t = i * h;
    total += (i % 2 === 1 ? 4 : 2) * Math.exp(-t * t);
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

const truthy = (x: number): boolean => x !== 0;

/** Unary results before rounding to the output dtype (logicalNot's output is bool, the rest keep the input dtype). */
const UNARY_REFERENCE: Record<UnaryOp, (x: number) => number> = {
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
  erf: erfReference,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfToEven,
  logicalNot: (x) => (truthy(x) ? 0 : 1),
};

export function unaryOutputDType(op: UnaryOp, dtype: DType): DType {
  return op === 'logicalNot' ? 'bool' : dtype;
}

export function unaryReference(op: UnaryOp, dtype: DType, values: readonly number[]): number[] {
  const out = unaryOutputDType(op, dtype);
  return values.map((x) => toDType(out, UNARY_REFERENCE[op](x)));
}

type Scalar2 = (a: number, b: number) => number;

const COMPARE: Record<'eq' | 'ne' | 'lt' | 'le', Scalar2> = {
  eq: (a, b) => Number(a === b),
  ne: (a, b) => Number(a !== b),
  lt: (a, b) => Number(a < b),
  le: (a, b) => Number(a <= b),
};

const FLOAT_BINARY: Record<BinaryOp, Scalar2> = {
  ...COMPARE,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: powReference,
  maximum: Math.max, // Math.max and Math.min propagate NaN, as torch.maximum does
  minimum: Math.min,
};

const big = (x: number): bigint => BigInt(x);

const INT_BINARY: Record<BinaryOp, Scalar2> = {
  ...COMPARE,
  add: (a, b) => wrapInt32(big(a) + big(b)),
  sub: (a, b) => wrapInt32(big(a) - big(b)),
  mul: (a, b) => wrapInt32(big(a) * big(b)),
  div: (a, b) => wrapInt32(big(a) / big(b)), // BigInt division truncates toward zero
  pow: (a, b) => wrapInt32(big(a) ** big(b)),
  maximum: Math.max,
  minimum: Math.min,
};

/** bool arithmetic as PyTorch defines it: `+` is or, `*` is and; sub, div and pow are rejected above the backend. */
const BOOL_BINARY: Partial<Record<BinaryOp, Scalar2>> = {
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

export function binaryReference(op: BinaryOp, dtype: DType, a: readonly number[], b: readonly number[]): number[] {
  const table = dtype === 'float32' ? FLOAT_BINARY : dtype === 'int32' ? INT_BINARY : BOOL_BINARY;
  const fn = table[op];
  if (!fn) throw new Error(`the reference has no ${op} for ${dtype}: PyTorch rejects it before the backend`);
  const out = binaryOutputDType(op, dtype);
  return a.map((x, i) => toDType(out, fn(x, b[i])));
}

export function whereReference(cond: readonly number[], a: readonly number[], b: readonly number[]): number[] {
  return cond.map((c, i) => (truthy(c) ? a[i] : b[i]));
}

type BlockReducer = (block: readonly number[], dtype: DType) => number;

function firstIndexOf(block: readonly number[], better: (v: number, best: number) => boolean): number {
  if (block.length === 0) throw new Error('the reference cannot take argmax/argmin of an empty block');
  const nan = block.findIndex(Number.isNaN);
  if (nan >= 0) return nan; // NaN counts as the extreme, as in PyTorch
  let at = 0;
  for (let i = 1; i < block.length; i++) if (better(block[i], block[at])) at = i;
  return at;
}

function extreme(block: readonly number[], pick: (a: number, b: number) => number): number {
  if (block.length === 0) throw new Error('the reference cannot take max/min of an empty block');
  return block.reduce((best, v) => pick(best, v));
}

const REDUCE_REFERENCE: Record<ReduceOp, BlockReducer> = {
  sum: (block, dtype) =>
    dtype === 'int32' ? wrapInt32(block.reduce((acc, v) => acc + big(v), 0n)) : block.reduce((acc, v) => acc + v, 0),
  prod: (block, dtype) =>
    dtype === 'int32'
      ? wrapInt32(block.reduce((acc, v) => BigInt.asIntN(32, acc * big(v)), 1n))
      : block.reduce((acc, v) => acc * v, 1),
  max: (block) => extreme(block, Math.max),
  min: (block) => extreme(block, Math.min),
  argmax: (block) => firstIndexOf(block, (v, best) => v > best),
  argmin: (block) => firstIndexOf(block, (v, best) => v < best),
};

export function reduceOutputDType(op: ReduceOp, dtype: DType): DType {
  return op === 'argmax' || op === 'argmin' ? 'int32' : dtype;
}

/** Reduces the trailing `reducedDims` axes of the row-major `values` of `shape`. */
export function reduceReference(
  op: ReduceOp,
  dtype: DType,
  values: readonly number[],
  shape: readonly number[],
  reducedDims: number,
): number[] {
  const blockSize = numelOf(shape.slice(shape.length - reducedDims));
  const blocks = numelOf(shape.slice(0, shape.length - reducedDims));
  const out = reduceOutputDType(op, dtype);
  const result: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const block = values.slice(b * blockSize, (b + 1) * blockSize);
    result.push(toDType(out, REDUCE_REFERENCE[op](block, dtype)));
  }
  return result;
}

/** [batch, m, k] x [batch, k, n] from row-major values; float32 accumulates in double, int32 wraps. */
export function matmulReference(
  dtype: DType,
  a: readonly number[],
  b: readonly number[],
  [batch, m, k]: readonly number[],
  n: number,
): number[] {
  const out: number[] = [];
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        let accInt = 0n;
        for (let q = 0; q < k; q++) {
          const x = a[(p * m + i) * k + q];
          const y = b[(p * k + q) * n + j];
          if (dtype === 'int32') accInt += big(x) * big(y);
          else acc += x * y;
        }
        out.push(dtype === 'int32' ? wrapInt32(accInt) : Math.fround(acc));
      }
    }
  }
  return out;
}

/** The index replaces coordinate `dim`: `out[c] = x[c with c[dim] = index[c]]`; the output has index's shape. */
export function gatherReference(
  x: readonly number[],
  xShape: readonly number[],
  dim: number,
  index: readonly number[],
  indexShape: readonly number[],
): number[] {
  return index.map((target, i) => {
    const coords = unravel(i, indexShape);
    coords[dim] = target;
    return x[ravel(coords, xShape)];
  });
}

/** Zeros of `shape`, then `out[c with c[dim] = index[c]] += src[c]` for every coordinate `c` of the index. */
export function scatterAddReference(
  dtype: DType,
  shape: readonly number[],
  dim: number,
  index: readonly number[],
  indexShape: readonly number[],
  src: readonly number[],
): number[] {
  const out = new Array<number>(numelOf(shape)).fill(0);
  index.forEach((target, i) => {
    const coords = unravel(i, indexShape);
    coords[dim] = target;
    out[ravel(coords, shape)] += src[i];
  });
  return out.map((v) => toDType(dtype, v));
}


// The optional fused methods' references, in their own file.
export * from './reference-fused.js';
