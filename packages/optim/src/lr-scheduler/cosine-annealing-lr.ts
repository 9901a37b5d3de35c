import { LRScheduler, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Half-period in epochs (PyTorch's `T_max`). */
  TMax: number;
  /** The lowest lr. Default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing from each group's initial lr down to `etaMin` over `TMax` epochs and back up, as
 * `torch.optim.lr_scheduler.CosineAnnealingLR`. Uses PyTorch 1.13's recursive form of `get_lr` (each lr computed
 * from the previous one), so values match PyTorch's to the last bits.
 */
export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<CosineAnnealingLROptions>) {
    const options = schedulerArgs<CosineAnnealingLROptions>('CosineAnnealingLR', ['TMax', 'etaMin', 'lastEpoch', 'verbose'], args);
    super(optimizer, options);
    if (typeof options?.TMax !== 'number' || !(options.TMax > 0)) {
      throw new RangeError(`CosineAnnealingLR: TMax must be a positive number of epochs, got ${String(options?.TMax)}`);
    }
    this.TMax = options.TMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  getLr(): number[] {
    const { lastEpoch: epoch, TMax, etaMin } = this;
    const lrs = this.currentLrs();
    if (epoch === 0) return lrs;
    if (this._stepCount === 1 && epoch > 0) {
      return this.baseLrs.map((baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((epoch * Math.PI) / TMax))) / 2);
    }
    if ((epoch - 1 - TMax) % (2 * TMax) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / TMax))) / 2);
    }
    return lrs.map(
      (lr) => ((1 + Math.cos((Math.PI * epoch) / TMax)) / (1 + Math.cos((Math.PI * (epoch - 1)) / TMax))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: epoch, TMax, etaMin } = this;
    return this.baseLrs.map((baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * epoch) / TMax))) / 2);
  }
}
