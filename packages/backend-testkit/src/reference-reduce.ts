/** The oracle's ops across elements: reductions, matmul, gather and scatterAdd (reference.ts says what it is). */
import { numelOf, type DType, type ReduceOp } from '@descent/backend';
import { isFloatDType, ravel, toBigInt, toDType, unravel, type Value } from './reference-core.js';

type BlockReducer = (block: readonly Value[], dtype: DType) => Value;

const isNaNValue = (v: Value): boolean => typeof v === 'number' && Number.isNaN(v);

function firstIndexOf(block: readonly Value[], better: (v: Value, best: Value) => boolean): number {
  if (block.length === 0) throw new Error('the reference cannot take argmax/argmin of an empty block');
  const nan = block.findIndex(isNaNValue);
  if (nan >= 0) return nan; // NaN counts as the extreme, as in PyTorch
  let at = 0;
  for (let i = 1; i < block.length; i++) if (better(block[i], block[at])) at = i;
  return at;
}

function extreme(block: readonly Value[], larger: boolean): Value {
  if (block.length === 0) throw new Error('the reference cannot take max/min of an empty block');
  if (block.some(isNaNValue)) return NaN;
  return block.reduce((best, v) => ((larger ? v > best : v < best) ? v : best));
}

/** Floats accumulate in double in index order; integers and bools exactly in BigInt (the int64 store wraps). */
const REDUCE_REFERENCE: Record<ReduceOp, BlockReducer> = {
  sum: (block, dtype) =>
    isFloatDType(dtype) ? block.reduce<number>((acc, v) => acc + Number(v), 0) : block.reduce<bigint>((acc, v) => acc + toBigInt(v), 0n),
  prod: (block, dtype) =>
    isFloatDType(dtype) ? block.reduce<number>((acc, v) => acc * Number(v), 1) : block.reduce<bigint>((acc, v) => acc * toBigInt(v), 1n),
  max: (block) => extreme(block, true),
  min: (block) => extreme(block, false),
  argmax: (block) => firstIndexOf(block, (v, best) => v > best),
  argmin: (block) => firstIndexOf(block, (v, best) => v < best),
};

/**
 * PyTorch's result dtype of a reduction: integer and bool sums and products accumulate in int64, argmax and argmin
 * are int64 indices; the rest keep the input dtype.
 */
export function reduceOutputDType(op: ReduceOp, dtype: DType): DType {
  if (op === 'argmax' || op === 'argmin') return 'int64';
  return (op === 'sum' || op === 'prod') && !isFloatDType(dtype) ? 'int64' : dtype;
}

/** Reduces the trailing `reducedDims` axes of the row-major `values` of `shape`. */
export function reduceReference(
  op: ReduceOp,
  dtype: DType,
  values: readonly Value[],
  shape: readonly number[],
  reducedDims: number,
): Value[] {
  const blockSize = numelOf(shape.slice(shape.length - reducedDims));
  const blocks = numelOf(shape.slice(0, shape.length - reducedDims));
  const out = reduceOutputDType(op, dtype);
  const result: Value[] = [];
  for (let b = 0; b < blocks; b++) {
    const block = values.slice(b * blockSize, (b + 1) * blockSize);
    result.push(toDType(out, REDUCE_REFERENCE[op](block, dtype)));
  }
  return result;
}

/**
 * [batch, m, k] x [batch, k, n] from row-major values: floats accumulate in double (float32 rounds once at the end),
 * integers exactly in BigInt and wrap to the dtype once (the same as wrapping at every step).
 */
export function matmulReference(
  dtype: DType,
  a: readonly Value[],
  b: readonly Value[],
  [batch, m, k]: readonly number[],
  n: number,
): Value[] {
  const float = isFloatDType(dtype);
  const out: Value[] = [];
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = 0;
        let accInt = 0n;
        for (let q = 0; q < k; q++) {
          const x = a[(p * m + i) * k + q];
          const y = b[(p * k + q) * n + j];
          if (float) acc += Number(x) * Number(y);
          else accInt += toBigInt(x) * toBigInt(y);
        }
        out.push(toDType(dtype, float ? acc : accInt));
      }
    }
  }
  return out;
}

/** The index replaces coordinate `dim`: `out[c] = x[c with c[dim] = index[c]]`; the output has index's shape. */
export function gatherReference(
  x: readonly Value[],
  xShape: readonly number[],
  dim: number,
  index: readonly Value[],
  indexShape: readonly number[],
): Value[] {
  return index.map((target, i) => {
    const coords = unravel(i, indexShape);
    coords[dim] = Number(target);
    return x[ravel(coords, xShape)];
  });
}

/**
 * Zeros of `shape`, then `out[c with c[dim] = index[c]] += src[c]` for every coordinate `c` of the index: floats
 * in double, integers exactly in BigInt (wrapping once at the end), bool as or.
 */
export function scatterAddReference(
  dtype: DType,
  shape: readonly number[],
  dim: number,
  index: readonly Value[],
  indexShape: readonly number[],
  src: readonly Value[],
): Value[] {
  const float = isFloatDType(dtype);
  const out = new Array<number>(numelOf(shape)).fill(0);
  const outInt = new Array<bigint>(numelOf(shape)).fill(0n);
  index.forEach((target, i) => {
    const coords = unravel(i, indexShape);
    coords[dim] = Number(target);
    const at = ravel(coords, shape);
    if (float) out[at] += Number(src[i]);
    else outInt[at] += toBigInt(src[i]);
  });
  return float ? out.map((v) => toDType(dtype, v)) : outInt.map((v) => toDType(dtype, v));
}
