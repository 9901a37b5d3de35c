import { isFloating, scalarTypeName } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { where } from './indexing.js';
import type { TensorLike } from './scalar.js';
import { presentAs } from './present-as.js';

// Floating-point classification (`torch.isnan`, `isinf`, ...), written with comparisons: NaN is the one value
// unequal to itself, and x - x is 0 exactly for finite x. Integer and bool tensors hold no NaN or infinity.

const allFalse = (x: Tensor): Tensor => full(x.shape, false, { device: x.device });

export const isnan = (x: Tensor): Tensor => (isFloating(x.dtype) ? x.ne(x) : allFalse(x));
export const isinf = (x: Tensor): Tensor => (isFloating(x.dtype) ? x.abs().eq(Infinity) : allFalse(x));
export const isposinf = (x: Tensor): Tensor => (isFloating(x.dtype) ? x.eq(Infinity) : allFalse(x));
export const isneginf = (x: Tensor): Tensor => (isFloating(x.dtype) ? x.eq(-Infinity) : allFalse(x));
export const isfinite = (x: Tensor): Tensor => (isFloating(x.dtype) ? x.sub(x).eq(0) : full(x.shape, true, { device: x.device }));

/** True where the sign bit is set: negative numbers and -0 (whose reciprocal is -Infinity). */
export function signbit(x: Tensor): Tensor {
  if (x.dtype === 'bool' || x.dtype === 'uint8') return allFalse(x);
  if (!isFloating(x.dtype)) return x.lt(0);
  return where(x.eq(0), x.reciprocal().lt(0), x.lt(0));
}

/** `torch.sgn`: the sign, as `sign` for real tensors. */
export const sgn = (x: Tensor): Tensor => x.sign();

export interface NanToNumOptions {
  nan?: number;
  posinf?: number | null;
  neginf?: number | null;
}

const FLOAT_MAX: Partial<Record<string, number>> = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };

/**
 * `torch.nan_to_num(x, nan=0.0, posinf=None, neginf=None)`: NaN and infinities replaced, by default with 0 and the
 * dtype's largest and smallest finite values;
 * the replacements may also come as options (`{ nan, posinf, neginf }`, PyTorch's keywords). The replaced places get no gradient, as in PyTorch.
 */
export function nanToNum(x: Tensor, nan: number | NanToNumOptions = 0, posinf: number | null = null, neginf: number | null = null): Tensor {
  if (typeof nan === 'object') return nanToNum(x, nan.nan ?? 0, nan.posinf ?? null, nan.neginf ?? null);
  if (!isFloating(x.dtype)) return x.clone();
  const max = FLOAT_MAX[x.dtype] as number;
  const fill = (v: number) => full([], v, { dtype: x.dtype, device: x.device });
  let out = where(x.ne(x), fill(nan), x);
  out = where(x.eq(Infinity), fill(posinf ?? max), out);
  return presentAs(where(x.eq(-Infinity), fill(neginf ?? -max), out), 'NanToNumBackward0', [x]);
}

export interface IsCloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/**
 * `torch.isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False)`, as PyTorch computes it: equal, or a finite
 * `|a - b| <= atol + |rtol * b|` (bool operands compared as floats).
 */
export function isclose(a: Tensor, b: Tensor, options: IsCloseOptions = {}): Tensor {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = options;
  if (a.dtype !== b.dtype) throw new TypeError(`${scalarTypeName(a.dtype)} did not match ${scalarTypeName(b.dtype)}`);
  if (rtol < 0) throw new RangeError(`rtol must be greater than or equal to zero, but got ${rtol}`);
  if (atol < 0) throw new RangeError(`atol must be greater than or equal to zero, but got ${atol}`);
  let close = a.eq(b);
  if (equalNan && isFloating(a.dtype)) close = close.logicalOr(a.ne(a).logicalAnd(b.ne(b)));
  if (rtol === 0 && atol === 0) return close;
  const x = a.dtype === 'bool' ? a.to('float32') : a;
  const y = b.dtype === 'bool' ? b.to('float32') : b;
  const allowed = y.mul(rtol).abs().add(atol);
  const actual = x.sub(y).abs();
  return close.logicalOr(isfinite(actual).logicalAnd(actual.le(allowed)));
}

/** `torch.equal(a, b)`: a boolean, true when the shapes match and every element is equal. Reads values (CPU). */
export function equal(a: Tensor, b: Tensor): boolean {
  if (a.shape.length !== b.shape.length || a.shape.some((s, i) => s !== b.shape[i])) return false;
  return a.eq(b).all().item() !== 0;
}

/** `torch.heaviside(x, values)`: 0 below zero, 1 above, `values` at zero. Not differentiable, as in PyTorch. */
export function heaviside(x: Tensor, values: TensorLike): Tensor {
  const v = values instanceof Tensor ? values : full([], Number(values), { dtype: x.dtype, device: x.device });
  if (v.dtype !== x.dtype) throw new TypeError('heaviside is not yet implemented for tensors with different dtypes.');
  const input = x.detach();
  return where(input.eq(0), v.detach(), input.gt(0).to(x.dtype));
}
