import { isTensor } from './misc.js';
import type { Tensor } from '../tensor.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';
import { inWork, polynomial } from './special-math.js';

// lgamma, digamma and polygamma composed from log, sin and arithmetic (in float64 where the backend has it), so every
// backend runs them and autograd differentiates them: each is the recurrence up to x + SHIFT, where the asymptotic
// (Stirling) series is accurate to float64, and the reflection formula below zero, where PyTorch reflects.

/** Inputs are moved up by this much before the asymptotic series (its next term is under 1e-14 there). */
const SHIFT = 10;
/** B_2, B_4, ..., B_14: the Bernoulli numbers of the asymptotic series. */
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6];

/** `x - round(x)`: the phase of sin(pi x) and tan(pi x) kept exact at integers (sin(pi * -3) would not be 0). */
const phase = (x: Tensor): Tensor => x.sub(x.detach().round());

/** Sum of `term(y + k)` for k below SHIFT: the recurrence that moves y up to y + SHIFT. */
function recurrence(y: Tensor, term: (v: Tensor) => Tensor): Tensor {
  let s = term(y);
  for (let k = 1; k < SHIFT; k++) s = s.add(term(y.add(k)));
  return s;
}

/** lgamma for y >= 0: Stirling's series at z = y + SHIFT, less the logs the recurrence adds. */
function lgammaNonNegative(y: Tensor): Tensor {
  const z = y.add(SHIFT);
  const r = z.reciprocal();
  const series = polynomial(r.square(), BERNOULLI.map((b, i) => b / ((2 * i + 2) * (2 * i + 1)))).mul(r);
  const stirling = z.sub(0.5).mul(z.log()).sub(z).add(0.5 * Math.log(2 * Math.PI)).add(series);
  return stirling.sub(recurrence(y, (v) => v.log()));
}

/** digamma for y >= 0: the asymptotic series at z = y + SHIFT, less the reciprocals the recurrence adds. */
function digammaNonNegative(y: Tensor): Tensor {
  const z = y.add(SHIFT);
  const r = z.reciprocal();
  const r2 = r.square();
  const series = polynomial(r2, BERNOULLI.map((b, i) => b / (2 * i + 2))).mul(r2);
  return z.log().sub(r.mul(0.5)).sub(series).sub(recurrence(y, (v) => v.reciprocal()));
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** polygamma(n, y), n >= 1, for y + SHIFT + n > 0: the asymptotic series at z = y + SHIFT + n, and the recurrence. */
function polygammaShifted(n: number, y: Tensor): Tensor {
  const shift = SHIFT + n;
  const z = y.add(shift);
  const r = z.reciprocal();
  // (n-1)!/z^n (1 + n/(2z) + sum_k B_2k (2k+n-1)! / ((2k)! (n-1)!) / z^2k)
  const coefficients = [1, ...BERNOULLI.map((b, i) => (b * factorial(2 * i + 2 + n - 1)) / (factorial(2 * i + 2) * factorial(n - 1)))];
  const series = polynomial(r.square(), coefficients).add(r.mul(n / 2));
  const sign = n % 2 === 1 ? 1 : -1;
  const asymptotic = series.mul(r.pow(n)).mul(sign * factorial(n - 1));
  let sum = y.pow(-(n + 1));
  for (let k = 1; k < shift; k++) sum = sum.add(y.add(k).pow(-(n + 1)));
  return asymptotic.sub(sum.mul(-sign * factorial(n)));
}

/** `torch.lgamma(x)`: log|Gamma(x)|; +inf at the poles (0 and the negative integers) and at +-inf. */
export function lgamma(x: Tensor): Tensor {
  const out = inWork(x, (w) => {
    const negative = w.detach().lt(0);
    // Each branch gets inputs where it is finite, so the other branch's gradient (0 there) stays 0, never NaN.
    const base = lgammaNonNegative(where(negative, w.neg().add(1), w));
    const s = where(negative, w, -0.5);
    const reflected = phase(s).mul(Math.PI).sin().abs().log().neg().add(Math.log(Math.PI));
    const value = where(negative, reflected.sub(base), base);
    // lgamma(1) and lgamma(2) are exactly 0 (as std::lgamma's); v - v keeps the gradient there.
    const exact = where(w.detach().eq(1).logicalOr(w.detach().eq(2)), value.detach(), 0);
    return where(w.detach().abs().eq(Infinity), Infinity, value.sub(exact));
  });
  return presentAs(out, 'LgammaBackward0', [x]);
}

/** `torch.digamma(x)`: d/dx lgamma(x); -inf at +0, +inf at -0 and NaN at the negative integers, as PyTorch. */
export function digamma(x: Tensor): Tensor {
  return presentAs(inWork(x, digammaWork), 'DigammaBackward0', [x]);
}

function digammaWork(w: Tensor): Tensor {
  const negative = w.detach().lt(0);
  const base = digammaNonNegative(where(negative, w.neg().add(1), w));
  const s = where(negative, w, -0.5);
  const angle = phase(s).mul(Math.PI);
  const reflected = base.sub(angle.cos().div(angle.sin()).mul(Math.PI));
  const pole = negative.logicalAnd(w.detach().eq(w.detach().round()));
  const value = where(pole, NaN, where(negative, reflected, base));
  return where(w.detach().eq(Infinity), Infinity, value);
}

/** `torch.polygamma(n, x)`: the n-th derivative of digamma (digamma itself for n = 0). */
export function polygamma(n: number, x: Tensor): Tensor {
  if (!Number.isInteger(n)) throw new TypeError(`polygamma(): argument 'n' (position 1) must be int, not ${typeof n === 'number' ? 'float' : typeof n}`);
  if (!isTensor(x)) throw new TypeError(`polygamma(): argument 'input' (position 2) must be Tensor, not ${typeof x}`);
  if (n < 0) throw new RangeError('polygamma(n, x) does not support negative n.');
  const out = inWork(x, (w) => (n === 0 ? digammaWork(w) : polygammaShifted(n, w)));
  return presentAs(out, 'PolygammaBackward0', [x]);
}

/**
 * `torch.mvlgamma(x, p)` (`torch.special.multigammaln`): the log of the multivariate gamma function of dimension p;
 * +inf where x <= (p - 1) / 2 (PyTorch 1.13 no longer raises there).
 */
export function mvlgamma(x: Tensor, p: number): Tensor {
  if (!Number.isInteger(p) || p < 1) throw new RangeError('p has to be greater than or equal to 1');
  let sum = lgamma(x);
  for (let i = 1; i < p; i++) sum = sum.add(lgamma(x.sub(i / 2)));
  return presentAs(sum.add((p * (p - 1) * Math.log(Math.PI)) / 4), 'MvlgammaBackward0', [x]);
}
