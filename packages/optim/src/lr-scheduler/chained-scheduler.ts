import { copyValue } from '../values.js';
import type { AnyOptimizer, LRScheduler, SchedulerStateDict } from './lr-scheduler.js';

/**
 * Steps several schedulers of one optimizer together, each applying its change to the lr the others left, as
 * `torch.optim.lr_scheduler.ChainedScheduler`.
 */
export class ChainedScheduler {
  readonly optimizer: AnyOptimizer;
  _schedulers: LRScheduler[];
  _lastLr: number[];

  constructor(schedulers: LRScheduler[]) {
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new TypeError('ChainedScheduler needs a non-empty array of schedulers');
    }
    schedulers.forEach((scheduler, i) => {
      if (scheduler.optimizer !== schedulers[0].optimizer) {
        throw new RangeError(
          `ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 and ${i} to be different`,
        );
      }
    });
    this._schedulers = [...schedulers];
    this.optimizer = schedulers[0].optimizer;
    this._lastLr = this.groupLrs();
  }

  step(): void {
    for (const scheduler of this._schedulers) scheduler.step();
    this._lastLr = this.groupLrs();
  }

  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /** Its own fields and each wrapped scheduler's `stateDict()`. */
  stateDict(): SchedulerStateDict {
    return { _lastLr: copyValue(this._lastLr), _schedulers: this._schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    const { _schedulers: states, ...own } = stateDict as SchedulerStateDict & { _schedulers: SchedulerStateDict[] };
    for (const [key, value] of Object.entries(own)) if (key !== 'optimizer') (this as Record<string, unknown>)[key] = copyValue(value);
    states.forEach((state, i) => this._schedulers[i].loadStateDict(state));
  }

  private groupLrs(): number[] {
    return this.optimizer.paramGroups.map((group) => group.lr as number);
  }
}
