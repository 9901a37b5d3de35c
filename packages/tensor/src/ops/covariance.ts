import { isFloating, scalarTypeName } from '../dtype.js';
import { defaultFloatDType } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import type { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { where } from './indexing.js';
import { mm } from './linalg.js';

export interface CovOptions {
  /** Subtracted from the sum of weights in the divisor: 1 (the default) is Bessel's correction. */
  correction?: number;
  /** Integer repeat counts of the observations. */
  fweights?: Tensor | null;
  /** Observation weights. */
  aweights?: Tensor | null;
}

function checkWeights(name: string, w: Tensor, observations: number, integral: boolean): void {
  if (w.ndim > 1) throw new RangeError(`cov(): expected ${name} to have one or fewer dimensions but got ${name} with ${w.ndim} dimensions`);
  if (w.numel() !== observations) {
    throw new RangeError(`cov(): expected ${name} to have the same numel as there are observations in the input but got ${w.numel()} != ${observations}`);
  }
  if (integral && isFloating(w.dtype)) throw new TypeError(`cov(): expected fweights to have integral dtype but got fweights with ${scalarTypeName(w.dtype)} dtype`);
  if (!integral && !isFloating(w.dtype)) throw new TypeError(`cov(): expected aweights to have floating point dtype but got aweights with ${scalarTypeName(w.dtype)} dtype`);
}

/**
 * `torch.cov(input, *, correction=1, fweights=None, aweights=None)`: the covariance matrix of the variables in the
 * rows of `input` (a 1-D input is one variable), computed as PyTorch's `cov`: the weighted mean, then
 * `(x - mean) @ (w * (x - mean)).T / (sum(w) - correction * sum(w * aweights) / sum(w))`.
 */
export function cov(input: Tensor, options: CovOptions = {}): Tensor {
  checkOptionKeys('cov', options, ['correction', 'fweights', 'aweights']);
  if (input.ndim > 2) throw new RangeError(`cov(): expected input to have two or fewer dimensions but got an input with ${input.ndim} dimensions`);
  if (input.dtype === 'bool') throw new TypeError('cov(): bool dtype is not supported for input');
  const correction = options.correction ?? 1;
  const x = (isFloating(input.dtype) ? input : input.to(defaultFloatDType())).reshape(input.ndim < 2 ? [1, -1] : input.shape);
  const observations = x.shape[1];
  const { fweights, aweights } = options;
  let w: Tensor | null = null;
  if (fweights) {
    checkWeights('fweights', fweights, observations, true);
    w = fweights;
  }
  if (aweights) {
    checkWeights('aweights', aweights, observations, false);
    w = w === null ? aweights : w.mul(aweights);
  }
  const wSum = w === null ? full([], observations, { dtype: x.dtype, device: x.device }) : w.sum().to(x.dtype);
  const avg = (w === null ? x : x.mul(w)).sum(1).div(wSum);
  let factor = w !== null && correction !== 0 && aweights ? wSum.sub(w.mul(aweights).sum().div(wSum).mul(correction)) : wSum.sub(correction);
  // PyTorch warns "degrees of freedom is <= 0" and divides by zero.
  factor = where(factor.le(0), 0, factor);
  const centered = x.sub(avg.unsqueeze(1));
  const c = mm(centered, (w === null ? centered : centered.mul(w)).t());
  return c.div(factor).squeeze();
}

/** `torch.corrcoef(input)`: Pearson correlation coefficients of the rows, clipped to [-1, 1]. */
export function corrcoef(input: Tensor): Tensor {
  const c = cov(input);
  if (c.ndim === 0) return c.div(c);
  const stddev = c.diagonal().sqrt();
  return c.div(stddev.reshape([-1, 1])).div(stddev.reshape([1, -1])).clamp(-1, 1);
}
