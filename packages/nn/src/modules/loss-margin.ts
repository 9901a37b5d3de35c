import { bindArgs, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { bindLossArgs, LEGACY_REDUCTION as LEGACY, type LegacyReductionArgs, type LegacyReductionOptions } from '../functional/loss-args.js';
import {
  cosineEmbeddingLoss,
  hingeEmbeddingLoss,
  marginRankingLoss,
  multilabelSoftMarginLoss,
  multiMarginLoss,
  softMarginLoss,
  tripletMarginLoss,
  type MarginOptions,
  type MultiMarginOptions,
  type TripletMarginOptions,
  type WeightOptions,
} from '../functional/margin-loss.js';
import { multilabelMarginLoss } from '../functional/multilabel-margin-loss.js';
import { tripletMarginWithDistanceLoss, type DistanceFunction, type TripletMarginWithDistanceOptions } from '../functional/triplet-distance-loss.js';
import { Module } from '../module.js';
import { Loss, WeightedLoss } from './loss-base.js';
import { PairwiseDistance } from './distance.js';

// PyTorch's arguments may be given by position (`nn.MarginRankingLoss(0.5)`), the deprecated `size_average` and
// `reduce` before `reduction` included, then an options object.

type MarginArgs = [margin: number, ...LegacyReductionArgs];

const bindMargin = (fn: string, args: readonly unknown[]): MarginOptions => bindLossArgs<MarginOptions>(`${fn}.__init__`, 1, ['margin', ...LEGACY], args);

/** `max(0, -y (x1 - x2) + margin)`, as `nn.MarginRankingLoss(margin=0.0)`; called as `loss(x1, x2, y)`. */
export class MarginRankingLoss extends Loss {
  margin: number;

  constructor(...args: ArgsThenOptions<MarginArgs, MarginOptions>) {
    const o = bindMargin('MarginRankingLoss', args);
    super(o);
    this.margin = o.margin ?? 0;
  }

  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, this.margin, { reduction: this.reduction });
  }
}

/** `x` for `y = 1`, `max(0, margin - x)` for `y = -1`, as `nn.HingeEmbeddingLoss(margin=1.0)`. */
export class HingeEmbeddingLoss extends Loss {
  margin: number;

  constructor(...args: ArgsThenOptions<MarginArgs, MarginOptions>) {
    const o = bindMargin('HingeEmbeddingLoss', args);
    super(o);
    this.margin = o.margin ?? 1;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return hingeEmbeddingLoss(input, target, this.margin, { reduction: this.reduction });
  }
}

/** `log(1 + exp(-y x))`, as `nn.SoftMarginLoss()`. */
export class SoftMarginLoss extends Loss {
  constructor(...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>) {
    super(bindLossArgs<LegacyReductionOptions>('SoftMarginLoss.__init__', 1, LEGACY, args));
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return softMarginLoss(input, target, { reduction: this.reduction });
  }
}

/** One-vs-all logistic loss over classes, as `nn.MultiLabelSoftMarginLoss(weight=None)`; `weight` is a buffer. */
export class MultiLabelSoftMarginLoss extends WeightedLoss {
  constructor(...args: ArgsThenOptions<[weight: Tensor | null, ...LegacyReductionArgs], WeightOptions>) {
    super(bindLossArgs<WeightOptions>('MultiLabelSoftMarginLoss.__init__', 1, ['weight', ...LEGACY], args));
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return multilabelSoftMarginLoss(input, target, this.weight, { reduction: this.reduction });
  }
}

/** `1 - cos` for `y = 1`, `max(0, cos - margin)` for `y = -1`, as `nn.CosineEmbeddingLoss(margin=0.0)`. */
export class CosineEmbeddingLoss extends Loss {
  margin: number;

  constructor(...args: ArgsThenOptions<MarginArgs, MarginOptions>) {
    const o = bindMargin('CosineEmbeddingLoss', args);
    super(o);
    this.margin = o.margin ?? 0;
  }

  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, this.margin, { reduction: this.reduction });
  }
}

/** Multi-class hinge loss, as `nn.MultiMarginLoss(p=1, margin=1.0, weight=None)`; `weight` is a buffer. */
export class MultiMarginLoss extends WeightedLoss {
  p: number;
  margin: number;

  constructor(...args: ArgsThenOptions<[p: number, margin: number, weight: Tensor | null, ...LegacyReductionArgs], MultiMarginOptions>) {
    const o = bindLossArgs<MultiMarginOptions>('MultiMarginLoss.__init__', 1, ['p', 'margin', 'weight', ...LEGACY], args);
    const p = o.p ?? 1;
    if (p !== 1 && p !== 2) throw new Error('only p == 1 and p == 2 supported');
    if (o.weight && o.weight.ndim !== 1) throw new Error('MultiMarginLoss: weight must be a 1-D tensor');
    super(o);
    this.p = p;
    this.margin = o.margin ?? 1;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return multiMarginLoss(input, target, this.p, this.margin, { weight: this.weight, reduction: this.reduction });
  }
}

/** `max(0, margin + d(a, p) - d(a, n))`, as `nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-06, swap=False)`. */
export class TripletMarginLoss extends Loss {
  margin: number;
  p: number;
  eps: number;
  swap: boolean;

  constructor(...args: ArgsThenOptions<[margin: number, p: number, eps: number, swap: boolean, ...LegacyReductionArgs], TripletMarginOptions>) {
    const o = bindLossArgs<TripletMarginOptions>('TripletMarginLoss.__init__', 1, ['margin', 'p', 'eps', 'swap', ...LEGACY], args);
    super(o);
    this.margin = o.margin ?? 1;
    this.p = o.p ?? 2;
    this.eps = o.eps ?? 1e-6;
    this.swap = o.swap ?? false;
  }

  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, this.margin, this.p, this.eps, this.swap, { reduction: this.reduction });
  }
}

/** The summed hinge over (target, non-target) class pairs, as `nn.MultiLabelMarginLoss()`; targets end at the first -1. */
export class MultiLabelMarginLoss extends Loss {
  constructor(...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>) {
    super(bindLossArgs<LegacyReductionOptions>('MultiLabelMarginLoss.__init__', 1, LEGACY, args));
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return multilabelMarginLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * `max(0, d(a, p) - d(a, n) + margin)` for any distance, as `nn.TripletMarginWithDistanceLoss(*, distance_function=None,
 * margin=1.0, swap=False, reduction='mean')`. The default distance is a `PairwiseDistance` child, printed as PyTorch's.
 */
export class TripletMarginWithDistanceLoss extends Loss {
  margin: number;
  swap: boolean;
  /** The distance when it is a module (the default `PairwiseDistance()`), a child under PyTorch's name. */
  distance_function: Module | null = null;
  private readonly distance: DistanceFunction;

  constructor(options: TripletMarginWithDistanceOptions = {}) {
    const o = bindArgs<TripletMarginWithDistanceOptions>(
      { fn: 'TripletMarginWithDistanceLoss.__init__', required: 0, positional: [], keywordOnly: ['distanceFunction', 'margin', 'swap', 'reduction'] },
      [options],
    );
    super(o);
    this.margin = o.margin ?? 1;
    this.swap = o.swap ?? false;
    const given = o.distanceFunction ?? new PairwiseDistance();
    if (given instanceof Module) this.distance_function = given;
    this.distance = given instanceof Module ? (x1, x2) => (given as Module).forward(x1, x2) as Tensor : given;
  }

  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    const { margin, swap, reduction } = this;
    return tripletMarginWithDistanceLoss(anchor, positive, negative, { distanceFunction: this.distance, margin, swap, reduction });
  }
}
