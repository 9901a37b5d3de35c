import { hostArray, type DType, type HostArray, type NumberHostArray, type Operand } from '@descent/backend';
import { contiguousAny } from './strided.js';
import { HI, isSafeAt, LO, readWords, TWO32, wordsOf, writeSafe } from './words.js';

/**
 * dtype conversions as C++'s static_cast in PyTorch. Between dtypes held in numbers, TypedArray stores already
 * convert the same way: to float32 they round to nearest even, to an integer dtype they truncate toward zero and
 * keep the low bits (ToInt32, ToInt8, ToUint8, ...). bool is `x != 0`. int64 goes through its words (words.ts).
 */
export function cast(x: Operand<HostArray>, dtype: DType): HostArray {
  const data = contiguousAny(x);
  const n = data.length;
  if (dtype === 'bool') return toBool(data);
  if (data instanceof BigInt64Array) return fromInt64(wordsOf(data), n, dtype);
  const out = hostArray(dtype, n);
  if (out instanceof BigInt64Array) toInt64(data, wordsOf(out), out);
  else for (let i = 0; i < n; i++) out[i] = data[i]; // the store converts (faster than set() on small arrays)
  return out;
}

function toBool(data: HostArray): Uint8Array {
  const out = new Uint8Array(data.length);
  if (data instanceof BigInt64Array) {
    const w = wordsOf(data);
    for (let i = 0; i < out.length; i++) out[i] = (w[2 * i] | w[2 * i + 1]) !== 0 ? 1 : 0;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = data[i] !== 0 ? 1 : 0; // NaN is true
  }
  return out;
}

/** x86's result for a float that no int64 holds (NaN, infinities, out of range), which PyTorch's CPU returns. */
const INT64_INDEFINITE = -(2n ** 63n);

function toInt64(data: NumberHostArray, w: Int32Array, out: BigInt64Array): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v > -2147483649 && v < 2147483648) {
      // The common case, int32 range (NaN fails both tests): `| 0` truncates toward zero, the high word is the sign.
      const t = v | 0;
      w[2 * i + LO] = t;
      w[2 * i + HI] = t >> 31;
    } else wideToInt64(v, w, out, i);
  }
}

/** A value past int32 (or NaN, or infinite): exact words while safe, a BigInt past 2^53, x86's indefinite beyond. */
function wideToInt64(v: number, w: Int32Array, out: BigInt64Array, i: number): void {
  const t = Math.trunc(v);
  if (Number.isSafeInteger(t)) writeSafe(w, i, t + 0);
  else out[i] = Number.isFinite(t) && Math.abs(t) < 2 ** 63 ? BigInt(t) : INT64_INDEFINITE;
}

function fromInt64(w: Int32Array, n: number, dtype: DType): HostArray {
  const out = hostArray(dtype, n);
  if (out instanceof BigInt64Array) {
    wordsOf(out).set(w.subarray(0, 2 * n));
  } else if (out instanceof Float32Array) {
    for (let i = 0; i < n; i++) out[i] = isSafeAt(w, i) ? readWords(w, i) : int64ToFloat32(w[2 * i + HI], w[2 * i + LO] >>> 0);
  } else if (out instanceof Float64Array) {
    for (let i = 0; i < n; i++) out[i] = readWords(w, i); // exact high part plus low word: one rounding
  } else {
    for (let i = 0; i < n; i++) out[i] = w[2 * i + LO]; // the store keeps the low 32, 16 or 8 bits
  }
  return out;
}

const F32 = new Float32Array(1);
const F32_BITS = new Int32Array(F32.buffer);

/** The float32 next to `f` (a float32 value, not 0) in the direction of `toward`. */
function float32Neighbour(f: number, toward: number): number {
  F32[0] = f;
  F32_BITS[0] += (toward > f) === (f > 0) ? 1 : -1;
  return F32[0];
}

/**
 * int64 (`hi * 2^32 + lo`, past 2^53) to float32, rounded once to nearest even as the hardware converts it.
 * Rounding to double first and then to float32 errs when the double lands exactly halfway between two floats
 * (2^60 + 2^36 + 1 rounds to 2^60 + 2^36, then to 2^60; the right answer is 2^60 + 2^37): then the sign of what
 * the double dropped picks the neighbour.
 */
export function int64ToFloat32(hi: number, lo: number): number {
  const high = hi * TWO32;
  const d = high + lo;
  const f = Math.fround(d);
  if (f === d) return f;
  const dropped = lo - (d - high); // exact: both terms are integers below 2^33
  if (dropped === 0) return f;
  const g = float32Neighbour(f, d);
  if (d - f !== g - d) return f; // not halfway: the double rounding did no harm
  return (dropped > 0) === (g > f) ? g : f;
}
