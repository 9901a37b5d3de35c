import * as arctangent from '../ops/arctangent.js';
import * as bitwise from '../ops/bitwise.js';
import * as blend from '../ops/blend.js';
import type { ValueOptions } from '../ops/blend.js';
import * as classes from '../ops/float-classes.js';
import type { NanToNumOptions } from '../ops/float-classes.js';
import * as inplace from '../ops/inplace.js';
import * as rounding from '../ops/rounding.js';
import type { TensorLike } from '../ops/scalar.js';
import * as special from '../ops/special-math.js';
import * as unary from '../ops/unary.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods } from './define.js';

// The in-place forms (PyTorch's trailing underscore) of the composed elementwise ops and of the unary ops that had
// none: each computes out of place and writes through this tensor's view (ops/inplace.ts).
declare module '../tensor.js' {
  interface Tensor {
    expm1_(): this;
    log1p_(): this;
    log2_(): this;
    log10_(): this;
    exp2_(): this;
    erfc_(): this;
    square_(): this;
    sinc_(): this;
    deg2rad_(): this;
    rad2deg_(): this;
    atan_(): this;
    arctan_(): this;
    trunc_(): this;
    fix_(): this;
    frac_(): this;
    sgn_(): this;
    nanToNum_(nan?: number | NanToNumOptions, posinf?: number | null, neginf?: number | null): this;
    fmod_(other: TensorLike): this;
    remainder_(other: TensorLike): this;
    floorDivide_(other: TensorLike): this;
    trueDivide_(other: TensorLike): this;
    atan2_(other: TensorLike): this;
    arctan2_(other: TensorLike): this;
    hypot_(other: TensorLike): this;
    xlogy_(other: TensorLike): this;
    heaviside_(values: TensorLike): this;
    lerp_(end: TensorType, weight: number | TensorType): this;
    addcmul_(tensor1: TensorType, tensor2: TensorType, options?: ValueOptions): this;
    addcdiv_(tensor1: TensorType, tensor2: TensorType, options?: ValueOptions): this;
    bitwiseAnd_(other: TensorLike): this;
    bitwiseOr_(other: TensorLike): this;
    bitwiseXor_(other: TensorLike): this;
    bitwiseNot_(): this;
    abs_(): this;
    sign_(): this;
    log_(): this;
    rsqrt_(): this;
    reciprocal_(): this;
    sin_(): this;
    cos_(): this;
    erf_(): this;
    floor_(): this;
    ceil_(): this;
    round_(): this;
    clip_(min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): this;
  }
}

defineMethods({
  expm1_() { return inplace.apply(this, () => special.expm1(this)); },
  log1p_() { return inplace.apply(this, () => special.log1p(this)); },
  log2_() { return inplace.apply(this, () => special.log2(this)); },
  log10_() { return inplace.apply(this, () => special.log10(this)); },
  exp2_() { return inplace.apply(this, () => special.exp2(this)); },
  erfc_() { return inplace.apply(this, () => special.erfc(this)); },
  square_() { return inplace.apply(this, () => special.square(this)); },
  sinc_() { return inplace.apply(this, () => special.sinc(this)); },
  deg2rad_() { return inplace.apply(this, () => special.deg2rad(this)); },
  rad2deg_() { return inplace.apply(this, () => special.rad2deg(this)); },
  atan_() { return inplace.apply(this, () => arctangent.atan(this)); },
  arctan_() { return inplace.apply(this, () => arctangent.atan(this)); },
  trunc_() { return inplace.apply(this, () => rounding.trunc(this)); },
  fix_() { return inplace.apply(this, () => rounding.trunc(this)); },
  frac_() { return inplace.apply(this, () => rounding.frac(this)); },
  sgn_() { return inplace.apply(this, () => classes.sgn(this)); },
  nanToNum_(nan = 0, posinf = null, neginf = null) { return inplace.apply(this, () => classes.nanToNum(this, nan, posinf, neginf)); },
  fmod_(other) { return inplace.apply(this, () => rounding.fmod(this, other)); },
  remainder_(other) { return inplace.apply(this, () => rounding.remainder(this, other)); },
  floorDivide_(other) { return inplace.apply(this, () => rounding.floorDivide(this, other)); },
  trueDivide_(other) { return inplace.apply(this, () => rounding.trueDivide(this, other)); },
  atan2_(other) { return inplace.apply(this, () => arctangent.atan2(this, other)); },
  arctan2_(other) { return inplace.apply(this, () => arctangent.atan2(this, other)); },
  hypot_(other) { return inplace.apply(this, () => special.hypot(this, other)); },
  xlogy_(other) { return inplace.apply(this, () => special.xlogy(this, other)); },
  heaviside_(values) { return inplace.apply(this, () => classes.heaviside(this, values)); },
  lerp_(end, weight) { return inplace.apply(this, () => blend.lerp(this, end, weight)); },
  addcmul_(tensor1, tensor2, options) { return inplace.apply(this, () => blend.addcmul(this, tensor1, tensor2, options)); },
  addcdiv_(tensor1, tensor2, options) { return inplace.apply(this, () => blend.addcdiv(this, tensor1, tensor2, options)); },
  bitwiseAnd_(other) { return inplace.apply(this, () => bitwise.bitwiseAnd(this, other)); },
  bitwiseOr_(other) { return inplace.apply(this, () => bitwise.bitwiseOr(this, other)); },
  bitwiseXor_(other) { return inplace.apply(this, () => bitwise.bitwiseXor(this, other)); },
  bitwiseNot_() { return inplace.apply(this, () => bitwise.bitwiseNot(this)); },
  abs_() { return inplace.apply(this, () => unary.abs(this)); },
  sign_() { return inplace.apply(this, () => unary.sign(this)); },
  log_() { return inplace.apply(this, () => unary.log(this)); },
  rsqrt_() { return inplace.apply(this, () => unary.rsqrt(this)); },
  reciprocal_() { return inplace.apply(this, () => unary.reciprocal(this)); },
  sin_() { return inplace.apply(this, () => unary.sin(this)); },
  cos_() { return inplace.apply(this, () => unary.cos(this)); },
  erf_() { return inplace.apply(this, () => unary.erf(this)); },
  floor_() { return inplace.apply(this, () => unary.floor(this)); },
  ceil_() { return inplace.apply(this, () => unary.ceil(this)); },
  round_() { return inplace.apply(this, () => unary.round(this)); },
  clip_(min = null, max = null) { return inplace.apply(this, () => unary.clamp(this, min, max)); },
});
