import { any, bindArgs, where, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { checkReduction, reduce, type Reduction } from './reduction.js';
import { bindLossArgs, legacyReduction, type LegacyReductionOptions } from './loss-args.js';
import { clampMinUntracked } from './distance.js';
import { sameShape } from './checks.js';
import { warnOnce } from '../py-warnings.js';

// Losses of a predicted distribution, as PyTorch 1.13 writes them (its formulas, checks and messages).

export interface KlDivOptions extends Omit<LegacyReductionOptions, 'reduction'> {
  reduction?: Reduction | 'batchmean';
  logTarget?: boolean;
}

export interface PoissonNllOptions extends LegacyReductionOptions {
  logInput?: boolean;
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

export interface GaussianNllOptions {
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

/**
 * The Kullback-Leibler divergence of `target` from log-probabilities `input`, as `F.kl_div(input, target,
 * size_average=None, reduce=None, reduction='mean', log_target=False)`: `t (log t - x)` pointwise (0 where `t` is 0), or `exp(t) (t - x)` for
 * log targets. 'batchmean' divides the sum by the batch size (the divergence's definition); 'mean', PyTorch
 * warns, divides by every element.
 */
export function klDiv(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<[sizeAverage: boolean | null, reduce: boolean | null, reduction: Reduction | 'batchmean', logTarget: boolean], KlDivOptions>
): Tensor {
  const o = bindArgs<KlDivOptions>({ fn: 'kl_div', required: 2, positional: ['sizeAverage', 'reduce', 'reduction', 'logTarget'] }, args);
  const reduction = o.reduction ?? 'mean';
  // The deprecated flags decide alone (no warning about 'mean'); 'batchmean' still divides, as in PyTorch.
  const legacy = legacyReduction(o.sizeAverage, o.reduce);
  if (legacy === undefined && reduction === 'mean') {
    warnOnce(
      "reduction: 'mean' divides the total loss by both the batch size and the support size.'batchmean' divides only by the batch size, and aligns with the KL div math definition.'mean' will be changed to behave the same as 'batchmean' in the next major release.",
    );
  }
  const red = legacy ?? (reduction === 'batchmean' ? 'sum' : checkReduction(reduction));
  let loss: Tensor;
  if (o.logTarget) {
    loss = target.exp().mul(target.sub(input));
  } else {
    // xlogy(t, t): 0 where t is 0 (log of 1 there keeps the unused branch finite).
    const xlogy = target.mul(where(target.eq(0), 1, target).log());
    loss = xlogy.sub(target.mul(input));
  }
  const reduced = reduce(loss, red);
  return reduction === 'batchmean' && input.ndim !== 0 ? reduced.div(input.shape[0]) : reduced;
}

/**
 * Negative log likelihood of Poisson-distributed `target` with rate `exp(input)` (or `input` when `logInput` is
 * false, then `input + eps` inside the log), as `F.poisson_nll_loss(input, target, log_input=True, full=False,
 * size_average=None, eps=1e-8, reduce=None, reduction='mean')`; `full` adds Stirling's term for targets above 1.
 */
export function poissonNllLoss(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<
    [logInput: boolean, full: boolean, sizeAverage: boolean | null, eps: number, reduce: boolean | null, reduction: Reduction],
    PoissonNllOptions
  >
): Tensor {
  const positional = ['logInput', 'full', 'sizeAverage', 'eps', 'reduce', 'reduction'];
  const o = bindLossArgs<PoissonNllOptions>('poisson_nll_loss', 2, positional, args);
  const reduction = o.reduction ?? 'mean';
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw new Error(`${String(reduction)} is not valid`);
  const eps = o.eps ?? 1e-8;
  let loss = (o.logInput ?? true) ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
  if (o.full) {
    const safe = where(target.le(1), 1, target);
    const stirling = safe.mul(safe.log()).sub(safe).add(safe.mul(2 * Math.PI).log().mul(0.5));
    loss = loss.add(where(target.le(1), 0, stirling));
  }
  return reduce(loss, reduction);
}

/**
 * Negative log likelihood of `target` under a Gaussian with mean `input` and variance `var`, as
 * `F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction='mean')`: `0.5 (log v + (x - t)^2 / v)`,
 * `v` floored at `eps` (a floor autograd does not see, as PyTorch's in-place clamp under no_grad). `var` may
 * lack the last dim or have size 1 there (one variance per sample).
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  ...args: ArgsThenOptions<[full: boolean, eps: number, reduction: Reduction], GaussianNllOptions>
): Tensor {
  const o = bindArgs<GaussianNllOptions>({ fn: 'gaussian_nll_loss', required: 3, positional: ['full', 'eps', 'reduction'] }, args);
  let v = variance;
  if (!sameShape(v, input)) {
    const lead = input.shape.slice(0, -1);
    const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((s, i) => s === b[i]);
    if (same(lead, v.shape)) v = v.unsqueeze(-1);
    else if (!(same(lead, v.shape.slice(0, -1)) && v.shape[v.ndim - 1] === 1)) throw new Error('var is of incorrect size');
  }
  const reduction = o.reduction ?? 'mean';
  if (reduction !== 'none' && reduction !== 'mean' && reduction !== 'sum') throw new Error(`${String(reduction)} is not valid`);
  if (v.device.supports('readSync') && any(v.lt(0)).item()) throw new Error('var has negative entry/entries');
  v = clampMinUntracked(v, o.eps ?? 1e-6);
  let loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
  if (o.full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, reduction);
}
