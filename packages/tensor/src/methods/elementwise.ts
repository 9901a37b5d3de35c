import * as arith from '../ops/arithmetic.js';
import * as arctangent from '../ops/arctangent.js';
import * as bitwise from '../ops/bitwise.js';
import * as blend from '../ops/blend.js';
import type { ValueOptions } from '../ops/blend.js';
import * as classes from '../ops/float-classes.js';
import type { IsCloseOptions, NanToNumOptions } from '../ops/float-classes.js';
import * as rounding from '../ops/rounding.js';
import type { TensorLike } from '../ops/scalar.js';
import * as special from '../ops/special-math.js';
import { lgamma as lgammaOp } from '../ops/lgamma.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods } from './define.js';

// Tensor methods of the composed elementwise ops (ops/special-math.ts, rounding.ts, arctangent.ts, blend.ts,
// float-classes.ts, bitwise.ts); their in-place forms are in elementwise-inplace.ts.
declare module '../tensor.js' {
  interface Tensor {
    expm1(): Tensor;
    log1p(): Tensor;
    log2(): Tensor;
    log10(): Tensor;
    exp2(): Tensor;
    erfc(): Tensor;
    square(): Tensor;
    sinc(): Tensor;
    /** log |Gamma(x)|, as `x.lgamma()`. */
    lgamma(): Tensor;
    deg2rad(): Tensor;
    rad2deg(): Tensor;
    atan(): Tensor;
    arctan(): Tensor;
    trunc(): Tensor;
    fix(): Tensor;
    frac(): Tensor;
    sgn(): Tensor;
    signbit(): Tensor;
    isnan(): Tensor;
    isinf(): Tensor;
    isfinite(): Tensor;
    isposinf(): Tensor;
    isneginf(): Tensor;
    nanToNum(nan?: number | NanToNumOptions, posinf?: number | null, neginf?: number | null): Tensor;
    fmod(other: TensorLike): Tensor;
    remainder(other: TensorLike): Tensor;
    floorDivide(other: TensorLike): Tensor;
    trueDivide(other: TensorLike): Tensor;
    atan2(other: TensorLike): Tensor;
    arctan2(other: TensorLike): Tensor;
    hypot(other: TensorLike): Tensor;
    logaddexp(other: TensorLike): Tensor;
    xlogy(other: TensorLike): Tensor;
    heaviside(values: TensorLike): Tensor;
    fmax(other: TensorType): Tensor;
    fmin(other: TensorType): Tensor;
    lerp(end: TensorType, weight: number | TensorType): Tensor;
    addcmul(tensor1: TensorType, tensor2: TensorType, options?: ValueOptions): Tensor;
    addcdiv(tensor1: TensorType, tensor2: TensorType, options?: ValueOptions): Tensor;
    isclose(other: TensorType, options?: IsCloseOptions): Tensor;
    equal(other: TensorType): boolean;
    bitwiseAnd(other: TensorLike): Tensor;
    bitwiseOr(other: TensorLike): Tensor;
    bitwiseXor(other: TensorLike): Tensor;
    bitwiseNot(): Tensor;
    logicalXor(other: TensorLike): Tensor;
  }
}

defineMethods({
  expm1() { return special.expm1(this); },
  log1p() { return special.log1p(this); },
  log2() { return special.log2(this); },
  log10() { return special.log10(this); },
  exp2() { return special.exp2(this); },
  erfc() { return special.erfc(this); },
  square() { return special.square(this); },
  sinc() { return special.sinc(this); },
  lgamma() { return lgammaOp(this); },
  deg2rad() { return special.deg2rad(this); },
  rad2deg() { return special.rad2deg(this); },
  atan() { return arctangent.atan(this); },
  arctan() { return arctangent.atan(this); },
  trunc() { return rounding.trunc(this); },
  fix() { return rounding.trunc(this); },
  frac() { return rounding.frac(this); },
  sgn() { return classes.sgn(this); },
  signbit() { return classes.signbit(this); },
  isnan() { return classes.isnan(this); },
  isinf() { return classes.isinf(this); },
  isfinite() { return classes.isfinite(this); },
  isposinf() { return classes.isposinf(this); },
  isneginf() { return classes.isneginf(this); },
  nanToNum(nan = 0, posinf = null, neginf = null) { return classes.nanToNum(this, nan, posinf, neginf); },
  fmod(other) { return rounding.fmod(this, other); },
  remainder(other) { return rounding.remainder(this, other); },
  floorDivide(other) { return rounding.floorDivide(this, other); },
  trueDivide(other) { return rounding.trueDivide(this, other); },
  atan2(other) { return arctangent.atan2(this, other); },
  arctan2(other) { return arctangent.atan2(this, other); },
  hypot(other) { return special.hypot(this, other); },
  logaddexp(other) { return special.logaddexp(this, other); },
  xlogy(other) { return special.xlogy(this, other); },
  heaviside(values) { return classes.heaviside(this, values); },
  fmax(other) { return blend.fmax(this, other); },
  fmin(other) { return blend.fmin(this, other); },
  lerp(end, weight) { return blend.lerp(this, end, weight); },
  addcmul(tensor1, tensor2, options) { return blend.addcmul(this, tensor1, tensor2, options); },
  addcdiv(tensor1, tensor2, options) { return blend.addcdiv(this, tensor1, tensor2, options); },
  isclose(other, options) { return classes.isclose(this, other, options); },
  equal(other) { return classes.equal(this, other); },
  bitwiseAnd(other) { return bitwise.bitwiseAnd(this, other); },
  bitwiseOr(other) { return bitwise.bitwiseOr(this, other); },
  bitwiseXor(other) { return bitwise.bitwiseXor(this, other); },
  bitwiseNot() { return bitwise.bitwiseNot(this); },
  logicalXor(other) { return arith.logicalXor(this, other); },
});
