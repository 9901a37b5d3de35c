import { LRScheduler, describe, perGroup, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface CyclicLROptions extends SchedulerOptions {
  /** The lower lr of the cycle, for all groups or one per group. */
  baseLr: number | number[];
  /** The upper lr of the cycle, for all groups or one per group. */
  maxLr: number | number[];
  /** Steps in the rising half of a cycle. Default 2000. */
  stepSizeUp?: number;
  /** Steps in the falling half; defaults to `stepSizeUp`. */
  stepSizeDown?: number | null;
  /** Ignored when `scaleFn` is given. Default 'triangular'. */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** The 'exp_range' scaling is `gamma ** iterations`. Default 1. */
  gamma?: number;
  /** A custom amplitude scaling in [0, 1], of the cycle number or of the iterations (`scaleMode`). */
  scaleFn?: ((x: number) => number) | null;
  /** Default 'cycle'. */
  scaleMode?: 'cycle' | 'iterations';
  /** Cycle the momentum inversely to the lr. Default true (the optimizer must have `momentum`). */
  cycleMomentum?: boolean;
  /** Default 0.8. */
  baseMomentum?: number | number[];
  /** Default 0.9. */
  maxMomentum?: number | number[];
}

const MODES = ['triangular', 'triangular2', 'exp_range'];

const CYCLIC_POSITIONAL = [
  'baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'scaleFn', 'scaleMode', 'cycleMomentum',
  'baseMomentum', 'maxMomentum', 'lastEpoch', 'verbose',
] as const;

/**
 * The cyclical learning rate policy, as `torch.optim.lr_scheduler.CyclicLR`: the lr goes between `baseLr` and
 * `maxLr` in cycles of `stepSizeUp + stepSizeDown` steps, with the amplitude scaled by the mode (or `scaleFn`), and
 * the momentum the other way. Step it after every batch.
 */
export class CyclicLR extends LRScheduler {
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: string;
  gamma: number;
  scaleMode: 'cycle' | 'iterations';
  cycleMomentum: boolean;
  declare baseMomentums?: number[];
  declare maxMomentums?: number[];
  /** A function is no state to save: kept out of `stateDict()`. */
  readonly #scaleFnCustom: ((x: number) => number) | null;

  /** PyTorch's positional order: `new CyclicLR(opt, 0.001, 0.1)` is baseLr 0.001, maxLr 0.1. */
  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<CyclicLROptions>) {
    const options = schedulerArgs<CyclicLROptions>('CyclicLR', CYCLIC_POSITIONAL, args);
    if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
      throw new TypeError(`${describe(optimizer)} is not an Optimizer`);
    }
    const { stepSizeUp = 2000, stepSizeDown = null, mode = 'triangular', gamma = 1, scaleFn = null } = options;
    const { cycleMomentum = true, baseMomentum = 0.8, maxMomentum = 0.9, lastEpoch = -1 } = options;
    const groups = optimizer.paramGroups;
    const baseLrs = perGroup('base_lr', groups.length, options.baseLr);
    if (lastEpoch === -1) groups.forEach((group, i) => (group.lr = baseLrs[i]));
    const maxLrs = perGroup('max_lr', groups.length, options.maxLr);
    const totalSize = stepSizeUp + (stepSizeDown ?? stepSizeUp);
    if (!MODES.includes(mode) && scaleFn === null) throw new RangeError('mode is invalid and scale_fn is None');
    let momentums: { base: number[]; max: number[] } | null = null;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults)) throw new RangeError('optimizer must support momentum with `cycle_momentum` option enabled');
      const baseMomentums = perGroup('base_momentum', groups.length, baseMomentum);
      if (lastEpoch === -1) groups.forEach((group, i) => (group.momentum = baseMomentums[i]));
      momentums = { base: groups.map((group) => group.momentum as number), max: perGroup('max_momentum', groups.length, maxMomentum) };
    }
    super(optimizer, options);
    this.maxLrs = maxLrs;
    this.totalSize = totalSize;
    this.stepRatio = stepSizeUp / totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this.#scaleFnCustom = scaleFn;
    this.scaleMode = scaleFn !== null ? (options.scaleMode ?? 'cycle') : mode === 'exp_range' ? 'iterations' : 'cycle';
    this.cycleMomentum = cycleMomentum;
    if (momentums !== null) {
      this.baseMomentums = momentums.base;
      this.maxMomentums = momentums.max;
    }
    this.initialStep();
    // As PyTorch: the cycle's bounds, not the groups' initial lrs (they differ when resuming).
    this.baseLrs = baseLrs;
  }

  /** The amplitude's scale at `x` (the cycle number or the iteration): the mode's, or the custom function's. */
  scaleFn(x: number): number {
    if (this.#scaleFnCustom !== null) return this.#scaleFnCustom(x);
    if (this.mode === 'triangular') return 1;
    if (this.mode === 'triangular2') return 1 / 2 ** (x - 1);
    return this.gamma ** x;
  }

  /** The lrs at batch `lastEpoch`; as a side effect, sets the groups' momentum when cycling it. */
  getLr(): number[] {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const scale = this.scaleFn(this.scaleMode === 'cycle' ? cycle : this.lastEpoch);
    const lrs = this.baseLrs.map((baseLr, i) => baseLr + (this.maxLrs[i] - baseLr) * scaleFactor * scale);
    const { baseMomentums, maxMomentums } = this;
    if (this.cycleMomentum && baseMomentums !== undefined && maxMomentums !== undefined) {
      this.optimizer.paramGroups.forEach((group, i) => {
        const baseHeight = (maxMomentums[i] - baseMomentums[i]) * scaleFactor;
        group.momentum = maxMomentums[i] - baseHeight * scale;
      });
    }
    return lrs;
  }
}
