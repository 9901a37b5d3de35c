import type { ArgsThenOptions, Tensor } from '@descent/tensor';
import { Loss, WeightedLoss } from './loss-base.js';
import { bindLossArgs, LEGACY_REDUCTION as LEGACY, type LegacyReductionArgs, type LegacyReductionOptions } from '../functional/loss-args.js';
import type { Reduction } from '../functional/reduction.js';
import { huberLoss, l1Loss, mseLoss, smoothL1Loss, type HuberOptions, type SmoothL1Options } from '../functional/regression-loss.js';
import { crossEntropy, nllLoss, NLL_POSITIONAL, type CrossEntropyOptions, type NllArgs, type NllLossOptions } from '../functional/classification-loss.js';
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
} from '../functional/binary-loss.js';

// Each takes PyTorch's arguments by position (`nn.CrossEntropyLoss(weight)`, `nn.MSELoss(None, None, 'sum')`), the
// deprecated `size_average` and `reduce` included, then an options object.

export class MSELoss extends Loss {
  constructor(...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>) {
    super(bindLossArgs<LegacyReductionOptions>('MSELoss.__init__', 1, LEGACY, args));
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends Loss {
  constructor(...args: ArgsThenOptions<LegacyReductionArgs, LegacyReductionOptions>) {
    super(bindLossArgs<LegacyReductionOptions>('L1Loss.__init__', 1, LEGACY, args));
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

export class SmoothL1Loss extends Loss {
  beta: number;

  constructor(...args: ArgsThenOptions<[...LegacyReductionArgs, beta: number], SmoothL1Options>) {
    const options = bindLossArgs<SmoothL1Options>('SmoothL1Loss.__init__', 1, [...LEGACY, 'beta'], args);
    super(options);
    this.beta = options.beta ?? 1.0;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

export class HuberLoss extends Loss {
  delta: number;

  constructor(...args: ArgsThenOptions<[reduction: Reduction, delta: number], HuberOptions>) {
    const options = bindLossArgs<HuberOptions>('HuberLoss.__init__', 1, ['reduction', 'delta'], args);
    super(options);
    this.delta = options.delta ?? 1.0;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Log-softmax and negative log likelihood in one: `input` holds logits, `target` class indices or probabilities. */
export class CrossEntropyLoss extends WeightedLoss {
  ignoreIndex: number;
  labelSmoothing: number;

  constructor(...args: ArgsThenOptions<[...NllArgs, labelSmoothing: number], CrossEntropyOptions>) {
    const options = bindLossArgs<CrossEntropyOptions>('CrossEntropyLoss.__init__', 1, [...NLL_POSITIONAL, 'labelSmoothing'], args);
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Negative log likelihood of class indices given log-probabilities. */
export class NLLLoss extends WeightedLoss {
  ignoreIndex: number;

  constructor(...args: ArgsThenOptions<NllArgs, NllLossOptions>) {
    const options = bindLossArgs<NllLossOptions>('NLLLoss.__init__', 1, NLL_POSITIONAL, args);
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/** Binary cross entropy of probabilities (apply a sigmoid first, or use BCEWithLogitsLoss). */
export class BCELoss extends WeightedLoss {
  constructor(...args: ArgsThenOptions<[weight: Tensor | null, ...LegacyReductionArgs], BinaryCrossEntropyOptions>) {
    super(bindLossArgs<BinaryCrossEntropyOptions>('BCELoss.__init__', 1, ['weight', ...LEGACY], args));
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Sigmoid and binary cross entropy in one numerically stable step; `posWeight` is kept as PyTorch's `pos_weight` buffer. */
export class BCEWithLogitsLoss extends Loss {
  declare readonly weight: Tensor | null;

  constructor(
    ...args: ArgsThenOptions<[weight: Tensor | null, ...LegacyReductionArgs, posWeight: Tensor | null], BinaryCrossEntropyWithLogitsOptions>
  ) {
    const positional = ['weight', ...LEGACY, 'posWeight'];
    const options = bindLossArgs<BinaryCrossEntropyWithLogitsOptions>('BCEWithLogitsLoss.__init__', 1, positional, args);
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
    this.registerBuffer('pos_weight', options.posWeight ?? null);
  }

  get posWeight(): Tensor | null {
    return (this as unknown as Record<string, Tensor | null>).pos_weight ?? null;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight,
      posWeight: this.posWeight,
      reduction: this.reduction,
    });
  }
}
