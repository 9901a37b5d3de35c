import { crossEntropyLoss, logSoftmax, where, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { checkReduction, type Reduction } from './reduction.js';
import { bindLossArgs, type LegacyReductionOptions } from './loss-args.js';
import { requireIndices, sameShape, valuesIfReadable } from './checks.js';
import { presentAs } from '@descent/tensor';

export interface NllLossOptions extends LegacyReductionOptions {
  /** A manual rescaling weight for each class (a 1-D tensor of size C). */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (and are left out of the mean). Default -100. */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** Mixes the target with the uniform distribution over classes: 0 (the default) to 1. */
  labelSmoothing?: number;
}

/** The class dim (1, or 0 for unbatched `[C]` input) and the target shape it implies. */
function classLayout(input: Tensor, target: Tensor): number {
  if (input.ndim === 0) throw new Error('input tensor should be 1D or 2D');
  if (input.ndim === 1) {
    if (target.ndim !== 0) throw new Error('0D or 1D target tensor expected, multi-target not supported');
    return 0;
  }
  if (input.ndim === 2 && target.ndim !== 1) throw new Error('0D or 1D target tensor expected, multi-target not supported');
  if (input.shape[0] !== target.shape[0]) {
    throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
  }
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (target.ndim !== expected.length || expected.some((s, i) => s !== target.shape[i])) {
    throw new Error(`Expected target size [${expected.join(', ')}], got [${target.shape.join(', ')}]`);
  }
  return 1;
}

function checkWeight(weight: Tensor | null | undefined, classes: number): Tensor | null {
  if (!weight) return null;
  if (weight.ndim !== 1 || weight.shape[0] !== classes) {
    throw new Error(
      `weight tensor should be defined either for all ${classes} classes or no classes but got weight tensor of shape: [${weight.shape.join(', ')}]`,
    );
  }
  return weight;
}

function checkTargets(target: Tensor, classes: number, ignoreIndex: number): void {
  const values = valuesIfReadable(target);
  if (!values) return;
  for (const value of values) {
    const t = Number(value);
    if (t !== ignoreIndex && (t < 0 || t >= classes)) throw new RangeError(`Target ${t} is out of bounds.`);
  }
}

/** Per-target class weights (0 where ignored) and targets made safe to gather (ignored ones point at class 0). */
function targetWeights(target: Tensor, ignoreIndex: number, weight: Tensor | null): { safe: Tensor; weights: Tensor; ignored: Tensor } {
  const ignored = target.eq(ignoreIndex);
  const safe = where(ignored, 0, target);
  const perTarget = weight ? weight.indexSelect(0, safe.reshape([-1])).reshape(target.shape) : null;
  const weights = perTarget ? where(ignored, 0, perTarget) : ignored.logicalNot().to('float32');
  return { safe, weights, ignored };
}

function reduceWeighted(loss: Tensor, weights: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return loss;
  const total = loss.sum();
  return reduction === 'sum' ? total : total.div(weights.sum());
}

/** `F.nll_loss`'s and `F.cross_entropy`'s arguments after input and target, in PyTorch's order. */
export type NllArgs = [weight: Tensor | null, sizeAverage: boolean | null, ignoreIndex: number, reduce: boolean | null, reduction: Reduction];
export const NLL_POSITIONAL = ['weight', 'sizeAverage', 'ignoreIndex', 'reduce', 'reduction'];

/**
 * Negative log likelihood of the target classes given log-probabilities `input`, as `F.nll_loss(input, target,
 * weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean')`.
 */
export function nllLoss(input: Tensor, target: Tensor, ...args: ArgsThenOptions<NllArgs, NllLossOptions>): Tensor {
  const options = bindLossArgs<NllLossOptions>('nll_loss', 2, NLL_POSITIONAL, args);
  const reduction = checkReduction(options.reduction);
  const ignoreIndex = options.ignoreIndex ?? -100;
  requireIndices('nll_loss', target);
  const classDim = classLayout(input, target);
  const weight = checkWeight(options.weight, input.shape[classDim]);
  checkTargets(target, input.shape[classDim], ignoreIndex);
  const { safe, weights } = targetWeights(target, ignoreIndex, weight);
  const picked = input.gather(classDim, safe.unsqueeze(classDim)).squeeze(classDim);
  return presentAs(reduceWeighted(picked.neg().mul(weights), weights, reduction), nllName(input.ndim, reduction), [input]);
}

/** PyTorch's node for nll_loss: 2-D inputs (and 4-D, and other ranks reduced) go through nll_loss2d, reshaped. */
function nllName(rank: number, reduction: string): string {
  if (rank <= 2) return 'NllLossBackward0';
  return reduction !== 'none' || rank === 4 ? 'NllLoss2DBackward0' : 'ViewBackward0';
}

/** `weight` shaped to broadcast along the class dim of `input`. */
function classBroadcast(weight: Tensor, input: Tensor, classDim: number): Tensor {
  return weight.reshape(input.shape.map((s, i) => (i === classDim ? s : 1)));
}

/**
 * Cross entropy between `input` logits and `target`, as `F.cross_entropy(input, target, weight=None,
 * size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0)`: class indices
 * (int64, shaped like `input` without its class dim) or class probabilities (float32, shaped like `input`).
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<[...NllArgs, labelSmoothing: number], CrossEntropyOptions>
): Tensor {
  const options = bindLossArgs<CrossEntropyOptions>('cross_entropy', 2, [...NLL_POSITIONAL, 'labelSmoothing'], args);
  const reduction = checkReduction(options.reduction);
  const labelSmoothing = options.labelSmoothing ?? 0;
  if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
  }
  if (canFuse(input, target, options, labelSmoothing)) return crossEntropyLoss(input, target, reduction);
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim];
  const logp = logSoftmax(input, classDim);
  if ((target.dtype === 'float32' || target.dtype === 'float64') && sameShape(input, target)) {
    return probabilityCrossEntropy(logp, target, classDim, reduction, labelSmoothing, checkWeight(options.weight, classes));
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  const nll = nllLoss(logp, target, { weight: options.weight, ignoreIndex, reduction });
  if (labelSmoothing === 0) return nll;
  const weight = checkWeight(options.weight, classes);
  const weighted = weight ? logp.mul(classBroadcast(weight, logp, classDim)) : logp;
  const { weights, ignored } = targetWeights(target, ignoreIndex, weight);
  const smooth = where(ignored, 0, weighted.sum(classDim).neg());
  return nll.mul(1 - labelSmoothing).add(reduceWeighted(smooth, weights, reduction).mul(labelSmoothing / classes));
}

/**
 * The common case (2-D logits, class indices, no weight, smoothing or custom ignoreIndex) is one op, chosen from
 * the arguments alone: no target is read to pick the path. The op leaves out targets equal to the default
 * ignoreIndex (-100) and reports out-of-range ones as PyTorch does (at the next read on a GPU).
 */
function canFuse(input: Tensor, target: Tensor, options: CrossEntropyOptions, labelSmoothing: number): boolean {
  if (input.ndim !== 2 || target.ndim !== 1 || target.dtype !== 'int64') return false;
  const customIgnore = options.ignoreIndex !== undefined && options.ignoreIndex !== -100;
  return !options.weight && !customIgnore && labelSmoothing === 0;
}

function probabilityCrossEntropy(
  logp: Tensor,
  target: Tensor,
  classDim: number,
  reduction: Reduction,
  labelSmoothing: number,
  weight: Tensor | null,
): Tensor {
  const classes = logp.shape[classDim];
  const smoothed = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
  const terms = logp.mul(smoothed);
  const loss = (weight ? terms.mul(classBroadcast(weight, logp, classDim)) : terms).sum(classDim).neg();
  if (reduction === 'none') return loss;
  // PyTorch negates the sum, and divides that by a number (div.Scalar, DivBackward1) for the mean.
  if (reduction === 'sum') return presentAs(loss.sum(), 'NegBackward0', [logp]);
  return presentAs(logp.ndim === 1 ? loss : loss.sum().div(logp.numel() / classes), 'DivBackward1', [logp]);
}
