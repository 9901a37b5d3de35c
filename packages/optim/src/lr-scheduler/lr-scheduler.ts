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

const EPOCH_DEPRECATION_WARNING =
  'The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. Please use ' +
  '`scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed ' +
  'form is used instead of the new chainable form, where available. Please open an issue if you are unable to ' +
  'replicate your use case: https://github.com/pytorch/pytorch/issues/new/choose.';

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

  /**
   * The learning rates for epoch `lastEpoch` computed from the base lrs alone (PyTorch's `_get_closed_form_lr`),
   * which `step(epoch)` uses where a scheduler has one.
   */
  protected closedFormLr?(): number[];

  /**
   * Resets the step counts and applies the first epoch's lrs: called at the end of a subclass constructor, and by
   * `SequentialLR` on the scheduler it starts with (PyTorch's `_initial_step`).
   */
  initialStep(): void {
    optimizerSteps.set(this.optimizer, 0);
    this._stepCount = 0;
    this.step();
  }

  /**
   * Advances one epoch and writes the new learning rates into the optimizer's groups. Given an `epoch`, jumps to it
   * instead (deprecated in PyTorch, with its warning): the closed form where the scheduler has one.
   */
  step(epoch?: number): void {
    this.warnIfBeforeOptimizerStep();
    this._stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      warn(EPOCH_DEPRECATION_WARNING);
      this.lastEpoch = epoch;
      values = this.closedFormLr?.() ?? this.getLr();
    }
    this.applyLrs(values, epoch);
  }

  /** PyTorch's warning when the first `scheduler.step()` comes before any `optimizer.step()`. */
  protected warnIfBeforeOptimizerStep(): void {
    if (this._stepCount === 1 && (optimizerSteps.get(this.optimizer) ?? 0) < 1) {
      warn(
        'Detected call of `lr_scheduler.step()` before `optimizer.step()`. You should call them in that order: ' +
          '`optimizer.step()` before `scheduler.step()`. Failure to do this will result in skipping the first ' +
          'value of the learning rate schedule.',
      );
    }
  }

  /** Writes `values` into the groups' lrs (logging them when verbose) and records them as the last lrs. */
  protected applyLrs(values: readonly number[], epoch?: number): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = values[i];
      if (this.verbose) info(lrMessage(i, values[i], epoch));
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

/** PyTorch's `print_lr` text; an explicit epoch is written as `%.5d` (whole) or `%.2f`. */
function lrMessage(group: number, lr: number, epoch?: number): string {
  if (epoch === undefined) return `Adjusting learning rate of group ${group} to ${formatExp4(lr)}.`;
  const epochText = Number.isInteger(epoch) ? String(epoch).padStart(5, '0') : epoch.toFixed(2);
  return `Epoch ${epochText}: adjusting learning rate of group ${group} to ${formatExp4(lr)}.`;
}

/** A value for every group: one given for all, or one per group (PyTorch's `_format_param`). */
export function perGroup(name: string, groups: number, value: number | number[]): number[] {
  if (!Array.isArray(value)) return new Array<number>(groups).fill(value);
  if (value.length !== groups) throw new RangeError(`expected ${groups} values for ${name}, got ${value.length}`);
  return [...value];
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
