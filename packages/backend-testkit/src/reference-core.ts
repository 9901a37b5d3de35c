/** The oracle's elements, views and dtype conversions (reference.ts says what the oracle is). */
import { numelOf, type DType, type View } from '@descent/backend';

/** One tensor element as the suite holds it: a number, or a bigint for int64. */
export type Value = number | bigint;

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
export function readView<T extends Value>(backing: readonly T[], view: View): T[] {
  const n = numelOf(view.shape);
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = backing[positionOf(view, unravel(i, view.shape))];
  return out;
}

/** A copy of `backing` with `values` (row-major) written through `view`. */
export function writeView<T extends Value>(backing: readonly T[], view: View, values: readonly T[]): T[] {
  const out = backing.slice();
  const n = numelOf(view.shape);
  for (let i = 0; i < n; i++) out[positionOf(view, unravel(i, view.shape))] = values[i];
  return out;
}

/** Signed integer dtypes and their widths; uint8 is the one unsigned dtype. */
const SIGNED_BITS: Partial<Record<DType, number>> = { int64: 64, int32: 32, int16: 16, int8: 8 };

export function isIntegerDType(dtype: DType): boolean {
  return dtype === 'uint8' || dtype in SIGNED_BITS;
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** An integer-valued element as a bigint; a float truncates toward zero (as C++ converts it). */
export function toBigInt(value: Value): bigint {
  return typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
}

/**
 * A bigint rounded to the nearest float32, ties to even, in exact integer arithmetic: keep the top 24 bits of
 * the magnitude and look at what was cut off (rounding to double first could round twice).
 */
export function bigintToFloat32(value: bigint): number {
  const magnitude = value < 0n ? -value : value;
  const bits = magnitude.toString(2).length;
  if (bits <= 24) return Number(value);
  const shift = BigInt(bits - 24);
  let kept = magnitude >> shift;
  const rest = magnitude - (kept << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
  const rounded = Number(kept) * 2 ** Number(shift); // kept has at most 25 bits: exact
  return Math.fround(value < 0n ? -rounded : rounded); // only overflow to Infinity changes it
}

/**
 * Stores `value` as `dtype` would: float32 rounds to nearest (from a bigint too, exactly), float64 keeps the double
 * (a bigint rounds to nearest), integer dtypes truncate toward zero and keep the low bits (two's complement; int64
 * becomes a bigint), bool tests non-zero (NaN is true).
 */
export function toDType(dtype: DType, value: Value): Value {
  if (dtype === 'float32') return typeof value === 'bigint' ? bigintToFloat32(value) : Math.fround(value);
  if (dtype === 'float64') return Number(value);
  if (dtype === 'bool') return value !== 0 && value !== 0n ? 1 : 0;
  if (dtype === 'uint8') return Number(BigInt.asUintN(8, toBigInt(value)));
  const bits = SIGNED_BITS[dtype] ?? 32;
  const wrapped = BigInt.asIntN(bits, toBigInt(value));
  return dtype === 'int64' ? wrapped : Number(wrapped);
}

/** `x.to(to)` of the row-major values of a tensor (whose own dtype they already are). */
export function castReference(values: readonly Value[], to: DType): Value[] {
  return values.map((v) => toDType(to, v));
}
