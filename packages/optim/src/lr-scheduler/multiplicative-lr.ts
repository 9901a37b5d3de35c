import { lrLambdasFor, type LrLambda } from './lambda-lr.js';
import { LRScheduler, type AnyOptimizer, type SchedulerOptions, type SchedulerStateDict } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface MultiplicativeLROptions extends SchedulerOptions {
  /** One function of the epoch for every group, or one per group: the factor applied at that epoch. */
  lrLambda: LrLambda | LrLambda[];
}

/**
 * Multiplies each group's lr by `lrLambda(epoch)` every epoch, as `torch.optim.lr_scheduler.MultiplicativeLR`. Its
 * `stateDict()` holds `lrLambdas: null` per function, as PyTorch's does for plain functions.
 */
export class MultiplicativeLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<MultiplicativeLROptions>) {
    const options = schedulerArgs<MultiplicativeLROptions>('MultiplicativeLR', ['lrLambda', 'lastEpoch', 'verbose'], args);
    const lrLambdas = lrLambdasFor(optimizer, options?.lrLambda, 'MultiplicativeLR');
    super(optimizer, options);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch <= 0) return lrs;
    return lrs.map((lr, i) => lr * this.lrLambdas[i](this.lastEpoch));
  }

  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), lrLambdas: this.lrLambdas.map(() => null) };
  }

  /** Restores every field but the functions, which stay this scheduler's own. */
  override loadStateDict(stateDict: SchedulerStateDict): void {
    const { lrLambdas: _functions, ...rest } = stateDict;
    super.loadStateDict(rest);
  }
}
