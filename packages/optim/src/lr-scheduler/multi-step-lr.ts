import { LRScheduler, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which to decay; an epoch listed k times decays by gamma^k. */
  milestones: number[];
  /** Multiplicative decay. Default 0.1. */
  gamma?: number;
}

/** Multiplies each group's lr by `gamma` at each milestone epoch, as `torch.optim.lr_scheduler.MultiStepLR`. */
export class MultiStepLR extends LRScheduler {
  /** Sorted, with repeats (PyTorch keeps a Counter). */
  milestones: number[];
  gamma: number;

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<MultiStepLROptions>) {
    const options = schedulerArgs<MultiStepLROptions>('MultiStepLR', ['milestones', 'gamma', 'lastEpoch', 'verbose'], args);
    super(optimizer, options);
    if (!Array.isArray(options?.milestones)) {
      throw new TypeError(`MultiStepLR: milestones must be an array of epochs, got ${String(options?.milestones)}`);
    }
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  getLr(): number[] {
    const lrs = this.currentLrs();
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (count === 0) return lrs;
    return lrs.map((lr) => lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((baseLr) => baseLr * this.gamma ** passed);
  }
}
