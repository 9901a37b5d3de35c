import type { Tensor } from '@descent/tensor';
import { formatExp4, info } from '../log.js';
import { copyValue } from '../values.js';
import { describe, groupLr, type AnyOptimizer, type SchedulerStateDict } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface ReduceLROnPlateauOptions {
  /** 'min': reduce when the metric stops decreasing; 'max': when it stops increasing. Default 'min'. */
  mode?: 'min' | 'max';
  /** lr multiplier on a reduction. Default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 10. */
  patience?: number;
  /** How much better a metric must be to count as an improvement. Default 1e-4. */
  threshold?: number;
  /** 'rel': better than best * (1 ∓ threshold); 'abs': better than best ∓ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound on the lr, for all groups or one per group. Default 0. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped. Default 1e-8. */
  eps?: number;
  verbose?: boolean;
}

/**
 * Reduces each group's lr by `factor` once a metric has stopped improving for `patience` epochs, as
 * `torch.optim.lr_scheduler.ReduceLROnPlateau`. Call `step(metric)` once per epoch.
 */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  factor: number;
  minLrs: number[];
  patience: number;
  verbose: boolean;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  best: number;
  numBadEpochs = 0;
  modeWorse: number;
  eps: number;
  lastEpoch = 0;
  _lastLr: number[];

  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<ReduceLROnPlateauOptions>) {
    const options = schedulerArgs<ReduceLROnPlateauOptions>('ReduceLROnPlateau', ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps', 'verbose'], args);
    const {
      mode = 'min',
      factor = 0.1,
      patience = 10,
      threshold = 1e-4,
      thresholdMode = 'rel',
      cooldown = 0,
      minLr = 0,
      eps = 1e-8,
      verbose = false,
    } = options;
    if (factor >= 1) throw new RangeError('Factor should be < 1.0.');
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError(`${describe(optimizer)} is not an Optimizer`);
    }
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups.length;
    if (Array.isArray(minLr)) {
      if (minLr.length !== groups) throw new RangeError(`expected ${groups} min_lrs, got ${minLr.length}`);
      this.minLrs = [...minLr];
    } else {
      this.minLrs = new Array<number>(groups).fill(minLr);
    }
    this.factor = factor;
    this.patience = patience;
    this.verbose = verbose;
    this.cooldown = cooldown;
    this.eps = eps;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.modeWorse = this.initIsBetter();
    this.best = this.modeWorse;
    this._lastLr = optimizer.paramGroups.map((group, i) => groupLr(group, i));
  }

  /** Records this epoch's metric (a number or a 0-d tensor) and reduces the lrs if it has plateaued. */
  step(metrics: number | Tensor): void {
    const current = typeof metrics === 'number' ? metrics : Number(metrics.item());
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((group, i) => groupLr(group, i));
  }

  /** The groups' learning rates after the last `step()`. */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` under the mode and threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  stateDict(): SchedulerStateDict {
    const state: SchedulerStateDict = {};
    for (const [key, value] of Object.entries(this)) if (key !== 'optimizer') state[key] = copyValue(value);
    return state;
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    for (const [key, value] of Object.entries(stateDict)) {
      if (key !== 'optimizer') (this as Record<string, unknown>)[key] = copyValue(value);
    }
    this.modeWorse = this.initIsBetter();
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = groupLr(group, i);
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]);
      if (oldLr - newLr > this.eps) {
        group.lr = newLr;
        if (this.verbose) {
          info(`Epoch ${String(this.lastEpoch).padStart(5, '0')}: reducing learning rate of group ${i} to ${formatExp4(newLr)}.`);
        }
      }
    });
  }

  // Checks mode and thresholdMode; returns the worst possible metric for the mode.
  private initIsBetter(): number {
    if (this.mode !== 'min' && this.mode !== 'max') throw new RangeError(`mode ${String(this.mode)} is unknown!`);
    if (this.thresholdMode !== 'rel' && this.thresholdMode !== 'abs') {
      throw new RangeError(`threshold mode ${String(this.thresholdMode)} is unknown!`);
    }
    return this.mode === 'min' ? Infinity : -Infinity;
  }
}
