import { LRScheduler, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface ExponentialLROptions extends SchedulerOptions {
  /** Multiplicative decay per epoch. */
  gamma: number;
}

/** Multiplies each group's lr by `gamma` every epoch, as `torch.optim.lr_scheduler.ExponentialLR`. */
export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<ExponentialLROptions>) {
    const options = schedulerArgs<ExponentialLROptions>('ExponentialLR', ['gamma', 'lastEpoch', 'verbose'], args);
    super(optimizer, options);
    if (typeof options?.gamma !== 'number') {
      throw new TypeError(`ExponentialLR: gamma must be a number, got ${String(options?.gamma)}`);
    }
    this.gamma = options.gamma;
    this.initialStep();
  }

  getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((baseLr) => baseLr * this.gamma ** this.lastEpoch);
  }
}
