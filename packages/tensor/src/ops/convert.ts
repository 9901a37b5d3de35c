import { INTEGER_RANGE, type DType } from '@descent/backend';
import type { Scalar } from '../dtype.js';

/**
 * JS values to elements of a dtype, with PyTorch's checks: a value an integer dtype cannot hold raises PyTorch's
 * "value cannot be converted to type int32 without overflow" instead of wrapping. Fractions truncate toward zero;
 * float32 rounds (1e39 becomes inf, as in PyTorch); uint8 takes -255..-1 as two's complement, as PyTorch does.
 */

export function overflowError(value: number | bigint, dtype: DType): RangeError {
  return new RangeError(`value cannot be converted to type ${dtype} without overflow (got ${String(value)})`);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `value` as an element of `dtype`: a number, or a bigint for int64. */
export function checkedElement(value: Scalar, dtype: DType): number | bigint {
  if (typeof value === 'boolean') return value ? (dtype === 'int64' ? 1n : 1) : dtype === 'int64' ? 0n : 0;
  if (dtype === 'bool') return value !== 0 && value !== 0n ? 1 : 0;
  if (dtype === 'float32' || dtype === 'float64') return Number(value);
  if (typeof value === 'number' && !Number.isFinite(value)) throw overflowError(value, dtype);
  if (dtype === 'int64') {
    const v = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
    if (v < INT64_MIN || v > INT64_MAX) throw overflowError(value, dtype);
    return v;
  }
  const v = typeof value === 'bigint' ? value : Math.trunc(value);
  const [lo, hi] = INTEGER_RANGE[dtype] ?? [0, 0];
  const low = dtype === 'uint8' ? -hi : lo;
  if (v < low || v > hi) throw overflowError(value, dtype);
  const n = Number(v);
  return dtype === 'uint8' && n < 0 ? n + 256 : n;
}

/** A whole JS number that can be an int64 element: finite, whole and inside ±2^63. */
export function fitsInt64(value: number): boolean {
  return Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63;
}
