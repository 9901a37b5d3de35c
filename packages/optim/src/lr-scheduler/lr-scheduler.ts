import type { Optimizer } from '../optimizer.js';
import { formatExp4, info, warn } from '../log.js';
import { copyValue } from '../values.js';

/** Any optimizer whose groups carry an `lr`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- schedulers work with every optimizer's hyperparameters
export type AnyOptimizer = Optimizer<any, any>;

/** A scheduler's `stateDict()`: its own fields (every one but the optimizer), as PyTorch's. */
export type SchedulerStateDict = Record<string, unknown>;

export interface SchedulerOptions {
  /** The index of the last epoch when resuming; -1 (the default) starts a fresh schedule. */
  lastEpoch?: number;
  /** Log each lr change to the console. */
  verbose?: boolean;
}

// How many times each optimizer's step() ran since a scheduler was attached, to warn about a wrong call order.
const optimizerSteps = new WeakMap<AnyOptimizer, number>();
const COUNTED = Symbol('counted step');

/**
 * Base class of the epoch-based LR schedulers (PyTorch 1.13's `_LRScheduler`). A subclass sets its fields in its
 * constructor, then calls `this.initialStep()`, which applies the epoch-0 learning rates; `getLr()` computes the
 * learning rates of the epoch in `lastEpoch` (the recursive form: from the groups' current lrs).
 */
export abstract class LRScheduler {
  readonly optimizer: AnyOptimizer;
  baseLrs: number[];
  lastEpoch: number;
  verbose: boolean;
  _stepCount = 0;
  _lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer, options: SchedulerOptions = {}) {
    const { lastEpoch = -1, verbose = false } = options;
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError(`${describe(optimizer)} is not an Optimizer`);
    }
    this.optimizer = optimizer;
    optimizer.paramGroups.forEach((group, i) => {
      if (lastEpoch === -1) {
        group.initialLr ??= groupLr(group, i);
      } else if (group.initialLr === undefined) {
        throw new Error(`param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer`);
      }
    });
    this.baseLrs = optimizer.paramGroups.map((group) => group.initialLr as number);
    this.lastEpoch = lastEpoch;
    this.verbose = verbose;
    countSteps(optimizer);
  }

  /** The learning rates for epoch `lastEpoch`, one per parameter group. */
  abstract getLr(): number[];

  /** Called at the end of a subclass constructor: resets the step counts and applies the first epoch's lrs. */
  protected initialStep(): void {
    optimizerSteps.set(this.optimizer, 0);
    this._stepCount = 0;
    this.step();
  }

  /** Advances one epoch and writes the new learning rates into the optimizer's groups. */
  step(): void {
    if (this._stepCount === 1 && (optimizerSteps.get(this.optimizer) ?? 0) < 1) {
      warn(
        'Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should call them in that order: ' +
          '`optimizer.step()` before `scheduler.step()`. Failure to do this will result in skipping the first ' +
          'value of the learning rate schedule.',
      );
    }
    this._stepCount += 1;
    this.lastEpoch += 1;
    const values = this.getLr();
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = values[i];
      if (this.verbose) info(`Adjusting learning rate of group ${i} to ${formatExp4(values[i])}.`);
    });
    this._lastLr = this.optimizer.paramGroups.map((group) => group.lr as number);
  }

  /** The learning rates the last `step()` set. */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /** Every field but the optimizer, copied. */
  stateDict(): SchedulerStateDict {
    const state: SchedulerStateDict = {};
    for (const [key, value] of Object.entries(this)) if (key !== 'optimizer') state[key] = copyValue(value);
    return state;
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    for (const [key, value] of Object.entries(stateDict)) {
      if (key !== 'optimizer') (this as Record<string, unknown>)[key] = copyValue(value);
    }
  }

  /** The groups' current learning rates. */
  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((group, i) => groupLr(group, i));
  }
}

/** A group's lr, checked. */
export function groupLr(group: { lr?: unknown }, index: number): number {
  if (typeof group.lr !== 'number') {
    throw new TypeError(`paramGroups[${index}] has no numeric lr (got ${String(group.lr)}); LR schedulers need one`);
  }
  return group.lr;
}

// Wraps optimizer.step once so schedulers can tell whether it ran before their own step().
function countSteps(optimizer: AnyOptimizer): void {
  const original = optimizer.step as AnyOptimizer['step'] & { [COUNTED]?: true };
  if (original[COUNTED]) return;
  const counted = function (this: unknown, ...args: Parameters<AnyOptimizer['step']>) {
    optimizerSteps.set(optimizer, (optimizerSteps.get(optimizer) ?? 0) + 1);
    return original.apply(optimizer, args);
  } as AnyOptimizer['step'] & { [COUNTED]?: true };
  counted[COUNTED] = true;
  optimizer.step = counted;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
}
