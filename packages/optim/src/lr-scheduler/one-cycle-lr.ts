import { LRScheduler, describe, perGroup, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface OneCycleLROptions extends SchedulerOptions {
  /** The peak lr, for all groups or one per group. */
  maxLr: number | number[];
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  /** Fraction of the cycle spent increasing the lr. Default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum (or Adam's beta1) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number | number[];
  /** Default 0.95. */
  maxMomentum?: number | number[];
  /** The initial lr is `maxLr / divFactor`. Default 25. */
  divFactor?: number;
  /** The final lr is the initial lr divided by this. Default 1e4. */
  finalDivFactor?: number;
  /** A third phase annihilates the lr, the first two being symmetric. Default false. */
  threePhase?: boolean;
}

const ONE_CYCLE_POSITIONAL = [
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum',
  'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch', 'verbose',
] as const;

/** One phase of the cycle: where it ends, and which group entries its lr and momentum run between. */
export interface SchedulePhase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

type CycleGroup = Record<string, unknown> & { initialLr?: number; maxLr?: number; minLr?: number; maxMomentum?: number; baseMomentum?: number };

/**
 * The 1cycle policy, as `torch.optim.lr_scheduler.OneCycleLR`: the lr rises from `maxLr / divFactor` to `maxLr`
 * and anneals far below, while the momentum (or Adam's beta1) moves the other way. Step it after every batch. Like
 * PyTorch it stores `initialLr`, `maxLr`, `minLr`, `maxMomentum` and `baseMomentum` in each group.
 */
export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  _schedulePhases: SchedulePhase[];
  /** PyTorch keeps the annealing function itself; its name is what a state dict can hold. */
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  declare useBeta1?: boolean;

  /** PyTorch's positional order: `new OneCycleLR(opt, 0.1, 1000)` is maxLr 0.1 over 1000 steps. */
  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<OneCycleLROptions>) {
    const options = schedulerArgs<OneCycleLROptions>('OneCycleLR', ONE_CYCLE_POSITIONAL, args);
    const setUp = prepare(optimizer, options);
    super(optimizer, options);
    this.totalSteps = setUp.totalSteps;
    this._schedulePhases = setUp.phases;
    this.annealStrategy = setUp.annealStrategy;
    this.cycleMomentum = setUp.cycleMomentum;
    // As PyTorch, only a scheduler that cycles the momentum has the field.
    if (setUp.useBeta1 !== undefined) this.useBeta1 = setUp.useBeta1;
    this.initialStep();
  }

  getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(`Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    const anneal = this.annealStrategy === 'cos' ? annealingCos : annealingLinear;
    return this.optimizer.paramGroups.map((group: CycleGroup) => {
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (const [i, phase] of this._schedulePhases.entries()) {
        const endStep = phase.endStep;
        if (stepNum <= endStep || i === this._schedulePhases.length - 1) {
          const pct = (stepNum - startStep) / (endStep - startStep);
          lr = anneal(group[phase.startLr] as number, group[phase.endLr] as number, pct);
          if (this.cycleMomentum) momentum = anneal(group[phase.startMomentum] as number, group[phase.endMomentum] as number, pct);
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) setMomentum(group, momentum, this.useBeta1 ?? false);
      return lr;
    });
  }
}

/** PyTorch's checks and the groups' entries, before the base class reads the groups' initial lrs. */
function prepare(optimizer: AnyOptimizer, options: OneCycleLROptions) {
  if (optimizer === null || typeof optimizer !== 'object' || !Array.isArray(optimizer.paramGroups)) {
    throw new TypeError(`${describe(optimizer)} is not an Optimizer`);
  }
  const { totalSteps = null, epochs = null, stepsPerEpoch = null, pctStart = 0.3, annealStrategy = 'cos', threePhase = false } = options;
  const { cycleMomentum = true, baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, lastEpoch = -1 } = options;
  let steps: number;
  if (totalSteps === null && epochs === null && stepsPerEpoch === null) {
    throw new RangeError('You must define either total_steps OR (epochs AND steps_per_epoch)');
  } else if (totalSteps !== null) {
    steps = positiveInteger('total_steps', totalSteps);
  } else {
    steps = positiveInteger('epochs', epochs) * positiveInteger('steps_per_epoch', stepsPerEpoch);
  }
  const phases: SchedulePhase[] = threePhase
    ? [
        { endStep: pctStart * steps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * pctStart * steps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: steps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ]
    : [
        { endStep: pctStart * steps - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: steps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
      ];
  if (typeof pctStart !== 'number' || pctStart < 0 || pctStart > 1) {
    throw new RangeError(`Expected float between 0 and 1 pct_start, but got ${pctStart}`);
  }
  if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
    throw new RangeError(`anneal_strategy must by one of 'cos' or 'linear', instead got ${String(annealStrategy)}`);
  }
  const groups = optimizer.paramGroups as CycleGroup[];
  const maxLrs = perGroup('max_lr', groups.length, options.maxLr);
  if (lastEpoch === -1) {
    groups.forEach((group, i) => {
      group.initialLr = maxLrs[i] / divFactor;
      group.maxLr = maxLrs[i];
      group.minLr = group.initialLr / finalDivFactor;
    });
  }
  let useBeta1: boolean | undefined;
  if (cycleMomentum) {
    if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
      throw new RangeError('optimizer must support momentum with `cycle_momentum` option enabled');
    }
    const beta1 = 'betas' in optimizer.defaults;
    useBeta1 = beta1;
    const maxMomentums = perGroup('max_momentum', groups.length, maxMomentum);
    const baseMomentums = perGroup('base_momentum', groups.length, baseMomentum);
    if (lastEpoch === -1) {
      groups.forEach((group, i) => {
        setMomentum(group, maxMomentums[i], beta1);
        group.maxMomentum = maxMomentums[i];
        group.baseMomentum = baseMomentums[i];
      });
    }
  }
  return { totalSteps: steps, phases, annealStrategy, cycleMomentum, useBeta1 };
}

/** `value`, checked to be a positive integer, with PyTorch's message. */
function positiveInteger(name: string, value: number | null): number {
  if (value === null || !Number.isInteger(value) || value <= 0) throw new RangeError(`Expected positive integer ${name}, but got ${value}`);
  return value;
}

/** The group's momentum, or Adam's beta1 (`betas[0]`). */
function setMomentum(group: CycleGroup, momentum: number, useBeta1: boolean): void {
  if (useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
  else group.momentum = momentum;
}

/** Cosine anneal from `start` to `end` as `pct` goes from 0 to 1. */
function annealingCos(start: number, end: number, pct: number): number {
  const cosOut = Math.cos(Math.PI * pct) + 1;
  return end + ((start - end) / 2) * cosOut;
}

function annealingLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}
