import * as bessel from '../ops/bessel.js';
import * as gamma from '../ops/gamma-functions.js';
import * as inplace from '../ops/inplace.js';
import * as inverse from '../ops/inverse-functions.js';
import * as trig from '../ops/trigonometric.js';
import { defineMethods } from './define.js';

// Tensor methods of the gamma-family, inverse, Bessel and trigonometric functions (ops/gamma-functions.ts,
// inverse-functions.ts, bessel.ts, trigonometric.ts), with their in-place forms.
declare module '../tensor.js' {
  interface Tensor {
    lgamma(): Tensor;
    lgamma_(): this;
    digamma(): Tensor;
    digamma_(): this;
    polygamma(n: number): Tensor;
    polygamma_(n: number): this;
    mvlgamma(p: number): Tensor;
    mvlgamma_(p: number): this;
    erfinv(): Tensor;
    erfinv_(): this;
    logit(eps?: number | null): Tensor;
    logit_(eps?: number | null): this;
    i0(): Tensor;
    tan(): Tensor;
    tan_(): this;
    sinh(): Tensor;
    sinh_(): this;
    cosh(): Tensor;
    cosh_(): this;
    asinh(): Tensor;
    asinh_(): this;
    acosh(): Tensor;
    acosh_(): this;
    atanh(): Tensor;
    atanh_(): this;
    asin(): Tensor;
    asin_(): this;
    acos(): Tensor;
    acos_(): this;
    arcsinh(): Tensor;
    arcsinh_(): this;
    arccosh(): Tensor;
    arccosh_(): this;
    arctanh(): Tensor;
    arctanh_(): this;
    arcsin(): Tensor;
    arcsin_(): this;
    arccos(): Tensor;
    arccos_(): this;
    i0_(): this;
  }
}

defineMethods({
  lgamma() { return gamma.lgamma(this); },
  lgamma_() { return inplace.apply(this, () => gamma.lgamma(this)); },
  digamma() { return gamma.digamma(this); },
  digamma_() { return inplace.apply(this, () => gamma.digamma(this)); },
  polygamma(n) { return gamma.polygamma(n, this); },
  polygamma_(n) { return inplace.apply(this, () => gamma.polygamma(n, this)); },
  mvlgamma(p) { return gamma.mvlgamma(this, p); },
  mvlgamma_(p) { return inplace.apply(this, () => gamma.mvlgamma(this, p)); },
  erfinv() { return inverse.erfinv(this); },
  erfinv_() { return inplace.apply(this, () => inverse.erfinv(this)); },
  logit(eps = null) { return inverse.logit(this, eps); },
  logit_(eps = null) { return inplace.apply(this, () => inverse.logit(this, eps)); },
  i0() { return bessel.i0(this); },
  tan() { return trig.tan(this); },
  tan_() { return inplace.apply(this, () => trig.tan(this)); },
  sinh() { return trig.sinh(this); },
  sinh_() { return inplace.apply(this, () => trig.sinh(this)); },
  cosh() { return trig.cosh(this); },
  cosh_() { return inplace.apply(this, () => trig.cosh(this)); },
  asinh() { return trig.asinh(this); },
  asinh_() { return inplace.apply(this, () => trig.asinh(this)); },
  acosh() { return trig.acosh(this); },
  acosh_() { return inplace.apply(this, () => trig.acosh(this)); },
  atanh() { return trig.atanh(this); },
  atanh_() { return inplace.apply(this, () => trig.atanh(this)); },
  asin() { return trig.asin(this); },
  asin_() { return inplace.apply(this, () => trig.asin(this)); },
  acos() { return trig.acos(this); },
  acos_() { return inplace.apply(this, () => trig.acos(this)); },
  arcsinh() { return trig.asinh(this); },
  arcsinh_() { return inplace.apply(this, () => trig.asinh(this)); },
  arccosh() { return trig.acosh(this); },
  arccosh_() { return inplace.apply(this, () => trig.acosh(this)); },
  arctanh() { return trig.atanh(this); },
  arctanh_() { return inplace.apply(this, () => trig.atanh(this)); },
  arcsin() { return trig.asin(this); },
  arcsin_() { return inplace.apply(this, () => trig.asin(this)); },
  arccos() { return trig.acos(this); },
  arccos_() { return inplace.apply(this, () => trig.acos(this)); },
  i0_() { return inplace.apply(this, () => bessel.i0(this)); },
});
