import { mseLossOp, where, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { checkReduction, reduce, type Reduction, type ReductionOption } from './reduction.js';
import { bindLossArgs, LEGACY_REDUCTION as LEGACY, type LegacyReductionArgs, type LegacyReductionOptions } from './loss-args.js';
import { warnOnBroadcast } from './checks.js';
import { presentAs } from '@descent/tensor';

/** Squared error, as `F.mse_loss(input, target, size_average=None, reduce=None, reduction='mean')`. */
export function mseLoss(input: Tensor, target: Tensor, ...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>): Tensor {
  const options = bindLossArgs<ReductionOption>('mse_loss', 2, LEGACY, args);
  const reduction = checkReduction(options.reduction);
  warnOnBroadcast(input, target);
  return mseLossOp(input, target, reduction);
}

/** Absolute error, as `F.l1_loss(input, target, size_average=None, reduce=None, reduction='mean')`. */
export function l1Loss(input: Tensor, target: Tensor, ...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>): Tensor {
  const options = bindLossArgs<ReductionOption>('l1_loss', 2, LEGACY, args);
  const reduction = checkReduction(options.reduction);
  warnOnBroadcast(input, target);
  return reduce(input.sub(target).abs(), reduction);
}

export interface SmoothL1Options extends LegacyReductionOptions {
  /** Where the loss turns from quadratic to linear. Default 1. */
  beta?: number;
}

/**
 * `0.5 z^2 / beta` for `|z| < beta`, else `|z| - 0.5 beta`, as `F.smooth_l1_loss(input, target, size_average=None,
 * reduce=None, reduction='mean', beta=1.0)`.
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<[...LegacyReductionArgs, beta: number], SmoothL1Options>
): Tensor {
  const options = bindLossArgs<SmoothL1Options>('smooth_l1_loss', 2, [...LEGACY, 'beta'], args);
  const reduction = checkReduction(options.reduction);
  const beta = options.beta ?? 1.0;
  if (beta < 0) throw new RangeError('smooth_l1_loss does not support negative values for beta.');
  warnOnBroadcast(input, target);
  const z = input.sub(target).abs();
  const loss = beta === 0 ? reduce(z, reduction) : reduce(where(z.lt(beta), z.pow(2).mul(0.5).div(beta), z.sub(0.5 * beta)), reduction);
  return presentAs(loss, 'SmoothL1LossBackward0', [input, target]);
}

export interface HuberOptions extends ReductionOption {
  /** Where the loss turns from quadratic to linear. Default 1. */
  delta?: number;
}

/** `0.5 z^2` for `|z| < delta`, else `delta (|z| - 0.5 delta)`, as `F.huber_loss(input, target, reduction='mean', delta=1.0)`. */
export function huberLoss(input: Tensor, target: Tensor, ...args: ArgsThenOptions<[reduction: Reduction, delta: number], HuberOptions>): Tensor {
  const options = bindLossArgs<HuberOptions>('huber_loss', 2, ['reduction', 'delta'], args);
  const reduction = checkReduction(options.reduction);
  const delta = options.delta ?? 1.0;
  if (!(delta > 0)) throw new RangeError('huber_loss does not support non-positive values for delta.');
  warnOnBroadcast(input, target);
  const z = input.sub(target).abs();
  return presentAs(reduce(where(z.lt(delta), z.pow(2).mul(0.5), z.sub(0.5 * delta).mul(delta)), reduction), 'HuberLossBackward0', [input, target]);
}
