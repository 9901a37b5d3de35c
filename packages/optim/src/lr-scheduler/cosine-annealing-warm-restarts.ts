import { LRScheduler, type AnyOptimizer, type SchedulerOptions } from './lr-scheduler.js';
import { schedulerArgs, type SchedulerArgs } from './scheduler-args.js';

export interface CosineAnnealingWarmRestartsOptions extends SchedulerOptions {
  /** Epochs until the first restart (PyTorch's `T_0`). */
  T0: number;
  /** Each period is this many times the last (PyTorch's `T_mult`). Default 1. */
  TMult?: number;
  /** The lowest lr. Default 0. */
  etaMin?: number;
}

/**
 * Cosine annealing from each group's initial lr down to `etaMin`, restarting every `T0` epochs (SGDR), as
 * `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`. `step(epoch)` takes fractional epochs, so it can be stepped
 * after every batch: `scheduler.step(epoch + i / iters)`.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  T0: number;
  /** The current period. */
  TI: number;
  TMult: number;
  etaMin: number;
  /** Epochs since the last restart. */
  TCur: number;

  /** PyTorch's positional order: `new CosineAnnealingWarmRestarts(opt, 10, 2)` is T_0 10, T_mult 2. */
  constructor(optimizer: AnyOptimizer, ...args: SchedulerArgs<CosineAnnealingWarmRestartsOptions>) {
    const options = schedulerArgs<CosineAnnealingWarmRestartsOptions>('CosineAnnealingWarmRestarts', ['T0', 'TMult', 'etaMin', 'lastEpoch', 'verbose'], args);
    const { T0, TMult = 1, etaMin = 0, lastEpoch = -1 } = options;
    if (!(Number.isInteger(T0) && T0 > 0)) throw new RangeError(`Expected positive integer T_0, but got ${T0}`);
    if (!(Number.isInteger(TMult) && TMult >= 1)) throw new RangeError(`Expected integer T_mult >= 1, but got ${TMult}`);
    super(optimizer, options);
    this.T0 = T0;
    this.TI = T0;
    this.TMult = TMult;
    this.etaMin = etaMin;
    this.TCur = lastEpoch;
    this.initialStep();
  }

  getLr(): number[] {
    const { etaMin, TCur, TI } = this;
    return this.baseLrs.map((baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * TCur) / TI))) / 2);
  }

  /** Advances one epoch, or jumps to `epoch` (fractional epochs allowed; no deprecation, as in PyTorch). */
  override step(epoch?: number): void {
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.TCur = this.TCur + 1;
      if (this.TCur >= this.TI) {
        this.TCur = this.TCur - this.TI;
        this.TI = this.TI * this.TMult;
      }
    } else {
      if (epoch < 0) throw new RangeError(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T0) {
        if (this.TMult === 1) {
          this.TCur = pythonMod(epoch, this.T0);
        } else {
          const n = Math.trunc(Math.log((epoch / this.T0) * (this.TMult - 1) + 1) / Math.log(this.TMult));
          this.TCur = epoch - (this.T0 * (this.TMult ** n - 1)) / (this.TMult - 1);
          this.TI = this.T0 * this.TMult ** n;
        }
      } else {
        this.TI = this.T0;
        this.TCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    // PyTorch's override skips the base step: no call-order warning and no step count here.
    this.applyLrs(this.getLr(), epoch);
  }
}

/** Python's `%` for floats: the result takes the divisor's sign. */
function pythonMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
