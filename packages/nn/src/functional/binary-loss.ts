import type { ArgsThenOptions, Tensor } from '@descent/tensor';
import { pySize } from '../python-repr.js';
import { checkReduction, reduce } from './reduction.js';
import { bindLossArgs, type LegacyReductionArgs, type LegacyReductionOptions } from './loss-args.js';
import { sameShape, valuesIfReadable } from './checks.js';
import { presentAs } from '@descent/tensor';

export interface BinaryCrossEntropyOptions extends LegacyReductionOptions {
  /** A manual rescaling weight, broadcast against the loss. */
  weight?: Tensor | null;
}

export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** The weight of positive examples, broadcast along the last (class) dim. */
  posWeight?: Tensor | null;
}

/**
 * `-(t log(x) + (1 - t) log(1 - x))` for probabilities `input`, with each log clamped at -100 as PyTorch does
 * (so 0 and 1 give finite losses), as `F.binary_cross_entropy(input, target, weight=None, size_average=None,
 * reduce=None, reduction='mean')`.
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<[weight: Tensor | null, ...LegacyReductionArgs], BinaryCrossEntropyOptions>
): Tensor {
  const options = bindLossArgs<BinaryCrossEntropyOptions>('binary_cross_entropy', 2, ['weight', 'sizeAverage', 'reduce', 'reduction'], args);
  const reduction = checkReduction(options.reduction);
  if (!sameShape(input, target)) {
    throw new Error(
      `Using a target size (${pySize(target.shape)}) that is different to the input size (${pySize(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  const values = valuesIfReadable(input);
  if (values) for (const v of values) if (!(v >= 0 && v <= 1)) throw new RangeError('all elements of input should be between 0 and 1');
  const logX = input.log().clamp(-100);
  const logOneMinusX = input.neg().add(1).log().clamp(-100);
  let loss = target.mul(logX).add(target.neg().add(1).mul(logOneMinusX)).neg();
  if (options.weight) loss = loss.mul(options.weight);
  return presentAs(reduce(loss, reduction), 'BinaryCrossEntropyBackward0', [input, target]);
}

/**
 * Sigmoid and binary cross entropy in one numerically stable expression, as `F.binary_cross_entropy_with_logits(input,
 * target, weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None)`:
 * `(1 - t) x + w_p (log(1 + e^-|x|) + max(-x, 0))` with `w_p = 1 + (posWeight - 1) t`.
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<[weight: Tensor | null, ...LegacyReductionArgs, posWeight: Tensor | null], BinaryCrossEntropyWithLogitsOptions>
): Tensor {
  const positional = ['weight', 'sizeAverage', 'reduce', 'reduction', 'posWeight'];
  const options = bindLossArgs<BinaryCrossEntropyWithLogitsOptions>('binary_cross_entropy_with_logits', 2, positional, args);
  const reduction = checkReduction(options.reduction);
  if (!sameShape(input, target)) {
    throw new Error(`Target size (${pySize(target.shape)}) must be the same as input size (${pySize(input.shape)})`);
  }
  const maxVal = input.neg().clamp(0);
  // log(e^-m + e^(-x-m)) + m is log(1 + e^-x) without overflow.
  const logSum = maxVal.neg().exp().add(input.neg().sub(maxVal).exp()).log();
  const linear = target.neg().add(1).mul(input);
  let loss: Tensor;
  if (options.posWeight) {
    const logWeight = options.posWeight.sub(1).mul(target).add(1);
    loss = linear.add(logWeight.mul(logSum.add(maxVal)));
  } else {
    loss = linear.add(maxVal).add(logSum);
  }
  if (options.weight) loss = loss.mul(options.weight);
  return presentAs(reduce(loss, reduction), 'BinaryCrossEntropyWithLogitsBackward0', [input, target]);
}
