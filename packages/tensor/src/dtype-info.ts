import type { DType } from '@descent/backend';
import { getDefaultDtype } from './ops/settings.js';

/** `torch.finfo(dtype)`: the limits of a floating-point dtype, as PyTorch reports them. */
export interface FloatInfo {
  readonly bits: number;
  readonly eps: number;
  readonly max: number;
  readonly min: number;
  readonly tiny: number;
  readonly smallestNormal: number;
  readonly resolution: number;
  readonly dtype: DType;
  toString(): string;
}

/** `torch.iinfo(dtype)`: the limits of an integer dtype; int64's are bigints (a number cannot hold them exactly). */
export interface IntInfo {
  readonly bits: number;
  readonly max: number | bigint;
  readonly min: number | bigint;
  readonly dtype: DType;
  toString(): string;
}

/** Python's `'%g'` with 6 significant digits, as PyTorch's reprs print the limits. */
function g(value: number | bigint): string {
  const v = Number(value);
  const exponent = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, power] = v.toExponential(5).split('e');
    const digits = mantissa.replace(/\.?0+$/, '');
    const p = Number(power);
    return `${digits}e${p < 0 ? '-' : '+'}${String(Math.abs(p)).padStart(2, '0')}`;
  }
  return String(Number(v.toPrecision(6)));
}

const FLOATS: Partial<Record<DType, Omit<FloatInfo, 'dtype' | 'toString'>>> = {
  float32: { bits: 32, eps: 2 ** -23, max: 3.4028234663852886e38, min: -3.4028234663852886e38, tiny: 2 ** -126, smallestNormal: 2 ** -126, resolution: 1e-6 },
  float64: { bits: 64, eps: 2 ** -52, max: Number.MAX_VALUE, min: -Number.MAX_VALUE, tiny: 2 ** -1022, smallestNormal: 2 ** -1022, resolution: 1e-15 },
};

const INTS: Partial<Record<DType, Omit<IntInfo, 'dtype' | 'toString'>>> = {
  int64: { bits: 64, max: 2n ** 63n - 1n, min: -(2n ** 63n) },
  int32: { bits: 32, max: 2 ** 31 - 1, min: -(2 ** 31) },
  int16: { bits: 16, max: 2 ** 15 - 1, min: -(2 ** 15) },
  int8: { bits: 8, max: 127, min: -128 },
  uint8: { bits: 8, max: 255, min: 0 },
};

export function finfo(dtype: DType = getDefaultDtype()): FloatInfo {
  const info = FLOATS[dtype];
  if (!info) throw new TypeError(`torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo' (got ${dtype})`);
  const { resolution, min, max, eps, smallestNormal, tiny } = info;
  const repr = `finfo(resolution=${g(resolution)}, min=${g(min)}, max=${g(max)}, eps=${g(eps)}, smallest_normal=${g(smallestNormal)}, tiny=${g(tiny)}, dtype=${dtype})`;
  return Object.freeze({ ...info, dtype, toString: () => repr });
}

export function iinfo(dtype: DType): IntInfo {
  if (dtype === 'bool') throw new TypeError('torch.bool is not supported by torch.iinfo');
  const info = INTS[dtype];
  if (!info) throw new TypeError(`torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo' (got ${dtype})`);
  const repr = `iinfo(min=${g(info.min)}, max=${g(info.max)}, dtype=${dtype})`;
  return Object.freeze({ ...info, dtype, toString: () => repr });
}
