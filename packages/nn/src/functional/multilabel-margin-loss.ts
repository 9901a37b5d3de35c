import { arange, presentAs, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { relu } from './activation.js';
import { requireIndices } from './checks.js';
import { bindLossArgs, LEGACY_REDUCTION as LEGACY, type LegacyReductionArgs, type LegacyReductionOptions } from './loss-args.js';
import { checkReduction, reduce } from './reduction.js';

/**
 * PyTorch's multilabel hinge loss: for each sample, the targets are the class indices in `target` up to its first
 * -1, and every (target j, non-target i) pair adds `max(0, 1 - (x[j] - x[i]))`, the sum divided by the number of
 * classes, as `F.multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction='mean')`.
 * Written with tensor ops over all (j, i) pairs, masked, so it runs on any device and differentiates as ATen's
 * kernel (a duplicated target counts twice, as there).
 */
export function multilabelMarginLoss(input: Tensor, target: Tensor, ...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>): Tensor {
  const o = bindLossArgs<LegacyReductionOptions>('multilabel_margin_loss', 2, LEGACY, args);
  const red = checkReduction(o.reduction);
  requireIndices('multilabel_margin_loss', target);
  if (input.ndim > 2 || target.ndim !== input.ndim || target.shape.some((s, i) => s !== input.shape[i])) {
    throw new RangeError(`inconsistent size [${target.shape.join(', ')}] for argument #2 'target'`);
  }
  const classes = input.ndim === 0 ? 1 : input.shape[input.ndim - 1];
  const x = input.reshape([-1, classes]);
  const t = target.reshape([-1, classes]);
  // A target slot counts while no -1 has come before it (inclusive): the running count of -1s is still 0.
  const valid = t.lt(0).to('int64').cumsum(1).eq(0);
  const isTarget = t.unsqueeze(2).eq(arange(classes, { device: input.device }).reshape([1, 1, classes])).logicalAnd(valid.unsqueeze(2)).any(1);
  const xTarget = x.gather(1, t.clamp(0, null)); // [N, slots]: the input at each target slot
  const pairs = relu(xTarget.unsqueeze(2).neg().add(1).add(x.unsqueeze(1))); // [N, slot j, class i]
  const mask = valid.unsqueeze(2).logicalAnd(isTarget.logicalNot().unsqueeze(1)).to(input.dtype);
  let loss = pairs.mul(mask).sum([1, 2]).div(classes);
  if (input.ndim < 2) loss = loss.reshape([]);
  return presentAs(reduce(loss, red), 'MultilabelMarginLossBackward0', [input]);
}
