import { LRScheduler, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface StepLROptions extends SchedulerOptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Multiplicative decay. Default 0.1. */
  gamma?: number;
}

/** Multiplies each group's lr by `gamma` every `stepSize` epochs, as `torch.optim.lr_scheduler.StepLR`. */
export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<StepLROptions>) {
    const options = schedulerArgs<StepLROptions>('StepLR', ['stepSize', 'gamma', 'lastEpoch', 'verbose'], args);
    super(optimizer, options);
    if (!Number.isInteger(options?.stepSize) || options.stepSize <= 0) {
      throw new RangeError(`StepLR: stepSize must be a positive integer, got ${String(options?.stepSize)}`);
    }
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((baseLr) => baseLr * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
