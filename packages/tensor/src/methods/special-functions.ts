import * as bessel from '../ops/bessel.js';
import * as gamma from '../ops/gamma-functions.js';
import * as inplace from '../ops/inplace.js';
import * as inverse from '../ops/inverse-functions.js';
import { defineMethods } from './define.js';

// Tensor methods of the gamma-family, inverse and Bessel functions (ops/gamma-functions.ts, inverse-functions.ts,
// bessel.ts), with their in-place forms.
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
  i0_() { return inplace.apply(this, () => bessel.i0(this)); },
});
