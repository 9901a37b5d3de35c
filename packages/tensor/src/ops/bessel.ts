import type { Tensor } from '../tensor.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';
import { inWork } from './special-math.js';

// The modified Bessel functions of the first kind I0 and I1 (and their exponentially scaled forms), composed from
// exp, sqrt and arithmetic in float64 where the backend has it: the power series below |x| = 15, where its terms
// stay within float64's range and it converges in 48 terms, and Hankel's asymptotic series above, where 20 terms
// are accurate to 1e-13. Autograd differentiates both, to any order.

const SERIES_LIMIT = 15;
const SERIES_TERMS = 48;
const ASYMPTOTIC_TERMS = 20;

/** `sum_k (x^2/4)^k / (k! (k + order)!)`, the series of I_order(x) / (x/2)^order, by Horner's rule from the end. */
function besselSeries(x: Tensor, order: number): Tensor {
  const q = x.square().div(4);
  let s = q.mul(0).add(1);
  for (let k = SERIES_TERMS; k >= 1; k--) s = s.mul(q).div(k * (k + order)).add(1);
  return order === 0 ? s : s.mul(x).div(2);
}

/**
 * `sqrt(2 pi t) e^-t I_order(t)` for large t > 0: Hankel's series `sum_k (-1)^k a_k / t^k` with
 * `a_k = prod_{j<=k} (4 order^2 - (2j - 1)^2) / (k! 8^k)`.
 */
function hankelSeries(t: Tensor, order: number): Tensor {
  const mu = 4 * order * order;
  const coefficients: number[] = [1];
  for (let k = 1; k < ASYMPTOTIC_TERMS; k++) coefficients.push((-coefficients[k - 1] * (mu - (2 * k - 1) ** 2)) / (k * 8));
  const r = t.reciprocal();
  let s = r.mul(coefficients[ASYMPTOTIC_TERMS - 1]);
  for (let k = ASYMPTOTIC_TERMS - 2; k > 0; k--) s = s.add(coefficients[k]).mul(r);
  return s.add(1);
}

/**
 * I_order(x) times e^-|x| when `scaled`: the series below the limit, Hankel's above (on |x|, the sign restored for the
 * odd I1). Each branch sees inputs where it is finite, so the other's gradient (0 there) stays 0, never NaN.
 */
function modifiedBessel(w: Tensor, order: number, scaled: boolean): Tensor {
  const a = w.abs();
  const small = a.detach().lt(SERIES_LIMIT);
  const near = where(small, w, 0);
  const series = besselSeries(near, order);
  const nearValue = scaled ? series.mul(near.abs().neg().exp()) : series;
  const t = where(small, SERIES_LIMIT, a);
  const envelope = scaled ? t.mul(2 * Math.PI).rsqrt() : t.exp().mul(t.mul(2 * Math.PI).rsqrt());
  let far = hankelSeries(t, order).mul(envelope);
  if (order === 1) far = where(w.detach().lt(0), far.neg(), far);
  return where(small, nearValue, far);
}

/** `torch.i0(x)` (`torch.special.i0`): the modified Bessel function of the first kind of order 0. */
export const i0 = (x: Tensor): Tensor => presentAs(inWork(x, (w) => modifiedBessel(w, 0, false)), 'I0Backward0', [x]);

/** `torch.special.i0e(x)`: `exp(-|x|) i0(x)`, without the overflow. */
export const i0e = (x: Tensor): Tensor => presentAs(inWork(x, (w) => modifiedBessel(w, 0, true)), 'SpecialI0EBackward0', [x]);

/** `torch.special.i1(x)`: the modified Bessel function of the first kind of order 1. */
export const i1 = (x: Tensor): Tensor => presentAs(inWork(x, (w) => modifiedBessel(w, 1, false)), 'SpecialI1Backward0', [x]);

/** `torch.special.i1e(x)`: `exp(-|x|) i1(x)`, without the overflow. */
export const i1e = (x: Tensor): Tensor => presentAs(inWork(x, (w) => modifiedBessel(w, 1, true)), 'SpecialI1EBackward0', [x]);
