import { bindArgs, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { bindLossArgs } from '../functional/loss-args.js';
import { checkReduction, type Reduction } from '../functional/reduction.js';
import {
  gaussianNllLoss,
  klDiv,
  poissonNllLoss,
  type GaussianNllOptions,
  type KlDivOptions,
  type PoissonNllOptions,
} from '../functional/probabilistic-loss.js';
import { Loss } from './loss-base.js';

/**
 * The KL divergence of the target from log-probabilities, as `nn.KLDivLoss(size_average=None, reduce=None,
 * reduction='mean', log_target=False)`.
 */
export class KLDivLoss extends Module {
  reduction: Reduction | 'batchmean';
  logTarget: boolean;

  constructor(
    ...args: ArgsThenOptions<[sizeAverage: boolean | null, reduce: boolean | null, reduction: Reduction | 'batchmean', logTarget: boolean], KlDivOptions>
  ) {
    super();
    const o = bindLossArgs<KlDivOptions>('KLDivLoss.__init__', 1, ['sizeAverage', 'reduce', 'reduction', 'logTarget'], args);
    this.reduction = o.reduction === 'batchmean' ? 'batchmean' : checkReduction(o.reduction);
    this.logTarget = o.logTarget ?? false;
  }

  override forward(input: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

/**
 * Poisson negative log likelihood, as `nn.PoissonNLLLoss(log_input=True, full=False, size_average=None, eps=1e-08,
 * reduce=None, reduction='mean')`.
 */
export class PoissonNLLLoss extends Loss {
  logInput: boolean;
  full: boolean;
  eps: number;

  constructor(
    ...args: ArgsThenOptions<
      [logInput: boolean, full: boolean, sizeAverage: boolean | null, eps: number, reduce: boolean | null, reduction: Reduction],
      PoissonNllOptions
    >
  ) {
    const positional = ['logInput', 'full', 'sizeAverage', 'eps', 'reduce', 'reduction'];
    const o = bindLossArgs<PoissonNllOptions>('PoissonNLLLoss.__init__', 1, positional, args);
    super(o);
    this.logInput = o.logInput ?? true;
    this.full = o.full ?? false;
    this.eps = o.eps ?? 1e-8;
  }

  override forward(logInput: Tensor, target: Tensor, ..._extra: never[]): Tensor {
    return poissonNllLoss(logInput, target, this.logInput, this.full, { eps: this.eps, reduction: this.reduction });
  }
}

/**
 * Gaussian negative log likelihood, as `nn.GaussianNLLLoss(*, full=False, eps=1e-06, reduction='mean')` (all by
 * keyword, as in PyTorch); called as `loss(input, target, var)`.
 */
export class GaussianNLLLoss extends Loss {
  full: boolean;
  eps: number;

  constructor(options: GaussianNllOptions = {}) {
    const o = bindArgs<GaussianNllOptions>({ fn: 'GaussianNLLLoss.__init__', required: 1, positional: [], keywordOnly: ['full', 'eps', 'reduction'] }, [options]);
    super(o);
    this.full = o.full ?? false;
    this.eps = o.eps ?? 1e-6;
  }

  override forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, this.full, { eps: this.eps, reduction: this.reduction });
  }
}
