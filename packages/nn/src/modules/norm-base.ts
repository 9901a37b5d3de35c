import { ones, tensor, zeros, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat, pyOptionalFloat } from '../python-repr.js';
import type { LoadContext } from '../state-dict.js';

export interface BatchNormOptions {
  /** Added to the variance for numerical stability. Default 1e-5. */
  eps?: number;
  /** Weight of the newest batch in the running statistics; null for a cumulative average. Default 0.1. */
  momentum?: number | null;
  /** Learn a per-channel scale (ones) and shift (zeros). Default true for batch norm, false for instance norm. */
  affine?: boolean;
  /** Keep running statistics for evaluation mode. Default true for batch norm, false for instance norm. */
  trackRunningStats?: boolean;
  device?: DeviceLike;
  dtype?: DType;
}

/** After `num_features`: PyTorch's positional order, or the options object, or both (`(4, 1e-3, { affine: false })`). */
export type NormArgs = ArgsThenOptions<[eps: number, momentum: number | null, affine: boolean, trackRunningStats: boolean], BatchNormOptions>;

/** Batch and instance norm's required argument, which PyTorch also takes by keyword: `nn.BatchNorm2d(num_features=3)`. */
export interface NumFeatures {
  numFeatures: number;
}

const NORM_POSITIONAL = ['eps', 'momentum', 'affine', 'trackRunningStats'];

/**
 * What batch and instance norm share, as PyTorch's `_NormBase`: the per-channel `weight` and `bias`, and the
 * buffers under PyTorch's state-dict names (`running_mean`, `running_var`, `num_batches_tracked`), read as
 * `runningMean`, `runningVar` and `numBatchesTracked`.
 */
export abstract class NormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(args: readonly unknown[], defaults: { affine: boolean; trackRunningStats: boolean }) {
    super();
    const spec = { fn: `${this._getName()}.__init__`, required: ['numFeatures'], positional: NORM_POSITIONAL, keywordOnly: ['device', 'dtype'] };
    const o = bindArgs<NumFeatures & BatchNormOptions>(spec, args);
    const numFeatures = o.numFeatures;
    this.numFeatures = numFeatures;
    this.eps = o.eps ?? 1e-5;
    this.momentum = o.momentum === undefined ? 0.1 : o.momentum;
    this.affine = o.affine ?? defaults.affine;
    this.trackRunningStats = o.trackRunningStats ?? defaults.trackRunningStats;
    const factory = { device: o.device, dtype: o.dtype };
    this.weight = this.affine ? new Parameter(ones([numFeatures], factory)) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], factory)) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures], factory) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures], factory) : null);
    this.registerBuffer('num_batches_tracked', track ? tensor(0, { dtype: 'int64', device: o.device }) : null);
  }

  private buffer(name: string): Tensor | null {
    return (this as unknown as Record<string, Tensor | null>)[name];
  }

  get runningMean(): Tensor | null {
    return this.buffer('running_mean');
  }

  get runningVar(): Tensor | null {
    return this.buffer('running_var');
  }

  get numBatchesTracked(): Tensor | null {
    return this.buffer('num_batches_tracked');
  }

  /** Zeros the running mean, sets the running variance to ones and the batch count to 0. */
  resetRunningStats(): void {
    this.runningMean?.zero_();
    this.runningVar?.fill_(1);
    this.numBatchesTracked?.zero_();
  }

  /** Checkpoints written before `num_batches_tracked` existed load with a count of 0, as in PyTorch. */
  override _loadFromStateDict(context: LoadContext, prefix: string): void {
    const key = `${prefix}num_batches_tracked`;
    if (this.trackRunningStats && !context.stateDict.has(key)) context.stateDict.set(key, tensor(0, { dtype: 'int64' }));
    super._loadFromStateDict(context, prefix);
  }

  override extraRepr(): string {
    return (
      `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyOptionalFloat(this.momentum)}, ` +
      `affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`
    );
  }
}
