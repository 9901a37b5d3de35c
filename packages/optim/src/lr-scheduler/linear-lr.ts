import { LRScheduler, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface LinearLROptions extends SchedulerOptions {
  /** Factor of the lr at epoch 0. Default 1/3. */
  startFactor?: number;
  /** Factor of the lr from `totalIters` on. Default 1. */
  endFactor?: number;
  /** Epochs over which the factor moves linearly. Default 5. */
  totalIters?: number;
}

/**
 * Scales each group's lr by a factor moving linearly from `startFactor` to `endFactor` over `totalIters` epochs,
 * as `torch.optim.lr_scheduler.LinearLR` (recursive form).
 */
export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<LinearLROptions>) {
    const options = schedulerArgs<LinearLROptions>('LinearLR', ['startFactor', 'endFactor', 'totalIters', 'lastEpoch', 'verbose'], args);
    super(optimizer, options);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    if (startFactor > 1 || startFactor < 0) {
      throw new RangeError('Starting multiplicative factor expected to be between 0 and 1.');
    }
    if (endFactor > 1 || endFactor < 0) {
      throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    }
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  getLr(): number[] {
    const { lastEpoch: epoch, startFactor, endFactor, totalIters } = this;
    const lrs = this.currentLrs();
    if (epoch === 0) return lrs.map((lr) => lr * startFactor);
    if (epoch > totalIters) return lrs;
    return lrs.map(
      (lr) => lr * (1 + (endFactor - startFactor) / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor))),
    );
  }

  protected override closedFormLr(): number[] {
    const { lastEpoch: epoch, startFactor, endFactor, totalIters } = this;
    return this.baseLrs.map((baseLr) => baseLr * (startFactor + ((endFactor - startFactor) * Math.min(totalIters, epoch)) / totalIters));
  }
}
