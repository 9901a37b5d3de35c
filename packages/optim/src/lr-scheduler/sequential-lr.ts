import { copyValue } from '../values.js';
import type { AnyOptimizer, LRScheduler, SchedulerStateDict } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface SequentialLROptions {
  /** The schedulers to run one after another, all on `optimizer`. */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over: one fewer than the schedulers. */
  milestones: number[];
  /** Default -1. */
  lastEpoch?: number;
  /** Accepted and ignored, as in PyTorch. */
  verbose?: boolean;
}

/**
 * Runs `schedulers` one after another, switching at each milestone epoch, as
 * `torch.optim.lr_scheduler.SequentialLR`: construction resets the lrs to their initial values and restarts the
 * first scheduler; at a milestone the next one jumps to its epoch 0 (`step(0)`, its closed form).
 */
export class SequentialLR {
  readonly optimizer: AnyOptimizer;
  _schedulers: LRScheduler[];
  _milestones: number[];
  lastEpoch: number;
  _lastLr: number[];

  /** PyTorch's positional order: `new SequentialLR(opt, [warmup, decay], [5])`. */
  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<SequentialLROptions>) {
    const options = schedulerArgs<SequentialLROptions>('SequentialLR', ['schedulers', 'milestones', 'lastEpoch', 'verbose'], args);
    const { schedulers, milestones, lastEpoch = -1 } = options;
    if (!Array.isArray(schedulers) || !Array.isArray(milestones)) {
      throw new TypeError('SequentialLR needs schedulers and milestones arrays');
    }
    schedulers.forEach((scheduler, i) => {
      if (scheduler.optimizer !== optimizer) {
        throw new RangeError(
          'Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at ' +
            `index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        'Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone ' +
          `points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    this._schedulers = schedulers;
    this._milestones = milestones;
    this.lastEpoch = lastEpoch + 1;
    this.optimizer = optimizer;

    // Reset the lrs, undo the step each scheduler took when it was built, and start the first one again.
    for (const group of optimizer.paramGroups) group.lr = group.initialLr;
    for (const scheduler of schedulers) scheduler.lastEpoch -= 1;
    schedulers[0].initialStep();
    this._lastLr = schedulers[0].getLastLr();
  }

  step(): void {
    this.lastEpoch += 1;
    const index = this._milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this._schedulers[index];
    if (index > 0 && this._milestones[index - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this._lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /** Its own fields and each wrapped scheduler's `stateDict()`. */
  stateDict(): SchedulerStateDict {
    return {
      _milestones: copyValue(this._milestones),
      lastEpoch: this.lastEpoch,
      _lastLr: copyValue(this._lastLr),
      _schedulers: this._schedulers.map((s) => s.stateDict()),
    };
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    const { _schedulers: states, ...own } = stateDict as SchedulerStateDict & { _schedulers: SchedulerStateDict[] };
    for (const [key, value] of Object.entries(own)) if (key !== 'optimizer') (this as Record<string, unknown>)[key] = copyValue(value);
    states.forEach((state, i) => this._schedulers[i].loadStateDict(state));
  }
}
