import { arange, presentAs, where, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { pySize } from '../python-repr.js';
import { checkReduction, reduce } from './reduction.js';
import { bindLossArgs, LEGACY_REDUCTION as LEGACY, type LegacyReductionArgs, type LegacyReductionOptions } from './loss-args.js';
import { pairwiseDistance } from './distance.js';
import { valuesIfReadable } from './checks.js';
import { logsigmoid } from './exponential-activations.js';

// Margin and ranking losses, as PyTorch 1.13 composes them (ATen's formulas, its checks and messages), with its
// positional order, the deprecated `size_average` and `reduce` included.

export interface MarginOptions extends LegacyReductionOptions {
  margin?: number;
}

export interface WeightOptions extends LegacyReductionOptions {
  weight?: Tensor | null;
}

export interface MultiMarginOptions extends WeightOptions {
  p?: number;
  margin?: number;
}

export interface TripletMarginOptions extends LegacyReductionOptions {
  margin?: number;
  p?: number;
  eps?: number;
  swap?: boolean;
}

type MarginArgs = [margin: number, ...LegacyReductionArgs];

const bindMargin = (fn: string, required: number, args: readonly unknown[]): MarginOptions =>
  bindLossArgs<MarginOptions>(fn, required, ['margin', ...LEGACY], args);

/** `max(0, -y (x1 - x2) + margin)`, as `F.margin_ranking_loss(input1, input2, target, margin=0)`. */
export function marginRankingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<MarginArgs, MarginOptions>
): Tensor {
  const { margin = 0, reduction } = bindMargin('margin_ranking_loss', 3, args);
  const red = checkReduction(reduction);
  if (input1.ndim !== input2.ndim || input1.ndim !== target.ndim) {
    throw new Error(
      `margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: ${pySize(input1.shape)}, input2: ${pySize(input2.shape)}, target: ${pySize(target.shape)} `,
    );
  }
  return reduce(target.neg().mul(input1.sub(input2)).add(margin).clamp(0, null), red);
}

/** `x` where `y == 1`, `max(0, margin - x)` where `y == -1`, as `F.hinge_embedding_loss(input, target, margin=1.0)`. */
export function hingeEmbeddingLoss(input: Tensor, target: Tensor, ...args: ArgsThenOptions<MarginArgs, MarginOptions>): Tensor {
  const { margin = 1, reduction } = bindMargin('hinge_embedding_loss', 2, args);
  const red = checkReduction(reduction);
  const marginClamp = input.neg().add(margin).clamp(0, null);
  // ATen adds both parts, so a target other than 1 and -1 counts in each.
  return reduce(where(target.ne(1), marginClamp, 0).add(where(target.ne(-1), input, 0)), red);
}

/** `log(1 + exp(-y x))`, as `F.soft_margin_loss(input, target)`. */
export function softMarginLoss(input: Tensor, target: Tensor, ...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>): Tensor {
  const { reduction } = bindLossArgs<LegacyReductionOptions>('soft_margin_loss', 2, LEGACY, args);
  return presentAs(reduce(input.neg().mul(target).exp().add(1).log(), checkReduction(reduction)), 'SoftMarginLossBackward0', [input, target]);
}

/** One-vs-all logistic loss averaged over classes, as `F.multilabel_soft_margin_loss(input, target, weight=None)`. */
export function multilabelSoftMarginLoss(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<[weight: Tensor | null, ...LegacyReductionArgs], WeightOptions>
): Tensor {
  const o = bindLossArgs<WeightOptions>('multilabel_soft_margin_loss', 2, ['weight', ...LEGACY], args);
  const red = checkReduction(o.reduction);
  let loss = target.mul(logsigmoid(input)).add(target.neg().add(1).mul(logsigmoid(input.neg()))).neg();
  if (o.weight) loss = loss.mul(o.weight);
  const classDim = input.ndim - 1;
  return reduce(loss.sum(classDim).div(input.shape[classDim]), red);
}

/** `1 - cos(x1, x2)` where `y == 1`, `max(0, cos - margin)` where `y == -1`, as `F.cosine_embedding_loss`. */
export function cosineEmbeddingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<MarginArgs, MarginOptions>
): Tensor {
  const { margin = 0, reduction } = bindMargin('cosine_embedding_loss', 3, args);
  const red = checkReduction(reduction);
  const sizes = `[${input1.shape.join(', ')}] and [${input2.shape.join(', ')}].`;
  if (target.ndim !== 0 && target.ndim !== 1) throw new Error('0D or 1D target tensor expected, multi-target not supported');
  if (target.ndim === 1 && (input1.ndim !== 2 || input2.ndim !== 2)) {
    throw new Error(`1D target tensor expects 2D input tensors, but found inputs with sizes ${sizes}`);
  }
  if (target.ndim === 0 && (input1.ndim !== 1 || input2.ndim !== 1)) {
    throw new Error(`0D target tensor expects 1D input tensors, but found inputs with sizes ${sizes}`);
  }
  const dim = target.ndim;
  // ATen's EPSILON keeps the denominator off zero.
  const EPSILON = 1e-12;
  const prodSum = input1.mul(input2).sum(dim);
  const mag1 = input1.mul(input1).sum(dim).add(EPSILON);
  const mag2 = input2.mul(input2).sum(dim).add(EPSILON);
  const cos = prodSum.div(mag1.mul(mag2).sqrt());
  const pos = where(target.eq(1), cos.neg().add(1), 0);
  const neg = where(target.eq(-1), cos.sub(margin).clamp(0, null), 0);
  return reduce(pos.add(neg), red);
}

/**
 * Multi-class hinge loss, as `F.multi_margin_loss(input, target, p=1, margin=1, weight=None)`: for each sample,
 * `sum over i != y of max(0, margin - x[y] + x[i])^p`, weighted by `weight[y]`, divided by the class count.
 */
export function multiMarginLoss(
  input: Tensor,
  target: Tensor,
  ...args: ArgsThenOptions<[p: number, margin: number, weight: Tensor | null, ...LegacyReductionArgs], MultiMarginOptions>
): Tensor {
  const o = bindLossArgs<MultiMarginOptions>('multi_margin_loss', 2, ['p', 'margin', 'weight', ...LEGACY], args);
  const { p = 1, margin = 1 } = o;
  const red = checkReduction(o.reduction);
  if (p !== 1 && p !== 2) throw new Error('only p == 1 and p == 2 supported');
  if (input.ndim > 2 || input.shape.includes(0)) {
    throw new Error(`Expected non-empty vector or matrix with optional 0-dim batch size, but got: [${input.shape.join(', ')}]`);
  }
  const x = input.ndim === 2 ? input : input.reshape([1, -1]);
  const frames = x.shape[0];
  if (target.ndim > 1 || target.numel() !== frames) throw new Error(`inconsistent target size, got: [${target.shape.join(', ')}]`);
  const classes = x.shape[1];
  const values = valuesIfReadable(target);
  if (values && Array.from(values, Number).some((v) => v < 0 || v >= classes)) throw new RangeError('target out of range');
  const t = target.reshape([frames, 1]);
  const hit = t.eq(arange(classes, { dtype: 'int64', device: x.device }).reshape([1, classes]));
  // relu: PyTorch counts a term only where it is strictly positive (no gradient at 0).
  let z = x.sub(x.gather(1, t)).add(margin).relu();
  if (p === 2) z = z.mul(z);
  if (o.weight) z = z.mul(o.weight.indexSelect(0, t.reshape([-1])).reshape([frames, 1]));
  const loss = where(hit, 0, z).sum(1).div(classes);
  const out = red === 'none' ? (target.ndim === 0 ? loss.reshape([]) : loss) : reduce(loss, red);
  return presentAs(out, 'MultiMarginLossBackward0', [input]);
}

/**
 * `max(0, margin + d(a, p) - d(a, n))` with `d` the pairwise p-norm distance, as `F.triplet_margin_loss(anchor,
 * positive, negative, margin=1.0, p=2, eps=1e-6, swap=False)`; `swap` uses `min(d(a, n), d(p, n))`.
 */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  ...args: ArgsThenOptions<[margin: number, p: number, eps: number, swap: boolean, ...LegacyReductionArgs], TripletMarginOptions>
): Tensor {
  const o = bindLossArgs<TripletMarginOptions>('triplet_margin_loss', 3, ['margin', 'p', 'eps', 'swap', ...LEGACY], args);
  const { margin = 1, p = 2, eps = 1e-6, swap = false } = o;
  const red = checkReduction(o.reduction);
  if (anchor.ndim !== positive.ndim || positive.ndim !== negative.ndim) {
    throw new Error(`All inputs should have same dimension but got ${anchor.ndim}D, ${positive.ndim}D and ${negative.ndim}D inputs.`);
  }
  const distPos = pairwiseDistance(anchor, positive, p, eps);
  let distNeg = pairwiseDistance(anchor, negative, p, eps);
  if (swap) distNeg = distNeg.minimum(pairwiseDistance(positive, negative, p, eps));
  return reduce(distPos.add(margin).sub(distNeg).clamp(0, null), red);
}
