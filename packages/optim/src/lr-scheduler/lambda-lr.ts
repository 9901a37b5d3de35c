import { LRScheduler, type AnyOptimizer, type SchedulerOptions, type SchedulerStateDict } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

/** A function of the epoch (an integer), returning a factor. */
export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions extends SchedulerOptions {
  /** One function for every group, or one per group. */
  lrLambda: LrLambda | LrLambda[];
}

/** One function per group: `lrLambda` checked against the optimizer's groups, with PyTorch's message. */
export function lrLambdasFor(optimizer: AnyOptimizer, lrLambda: LrLambda | LrLambda[] | undefined, name: string): LrLambda[] {
  const groups = Array.isArray(optimizer?.paramGroups) ? optimizer.paramGroups.length : 0;
  if (!Array.isArray(lrLambda)) {
    if (typeof lrLambda !== 'function') throw new TypeError(`${name}: lrLambda must be a function or an array of functions`);
    return new Array<LrLambda>(groups).fill(lrLambda);
  }
  if (lrLambda.length !== groups) throw new RangeError(`Expected ${groups} lr_lambdas, but got ${lrLambda.length}`);
  return [...lrLambda];
}

/**
 * Sets each group's lr to its initial lr times `lrLambda(epoch)`, as `torch.optim.lr_scheduler.LambdaLR`. Its
 * `stateDict()` holds `lrLambdas: null` per function, as PyTorch's does for plain functions.
 */
export class LambdaLR extends LRScheduler {
  lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<LambdaLROptions>) {
    const options = schedulerArgs<LambdaLROptions>('LambdaLR', ['lrLambda', 'lastEpoch', 'verbose'], args);
    const lrLambdas = lrLambdasFor(optimizer, options?.lrLambda, 'LambdaLR');
    super(optimizer, options);
    this.lrLambdas = lrLambdas;
    this.initialStep();
  }

  getLr(): number[] {
    return this.baseLrs.map((baseLr, i) => baseLr * this.lrLambdas[i](this.lastEpoch));
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
