import { ones, tensor, zeros, type DeviceLike, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { batchNorm } from '../functional/normalization.js';
import { pyBool, pyFloat, pyOptionalFloat } from '../python-repr.js';
import type { LoadContext } from '../state-dict.js';

export interface BatchNormOptions {
  /** Added to the variance for numerical stability. Default 1e-5. */
  eps?: number;
  /** Weight of the newest batch in the running statistics; null for a cumulative average. Default 0.1. */
  momentum?: number | null;
  /** Learn a per-channel scale (ones) and shift (zeros). Default true. */
  affine?: boolean;
  /** Keep running statistics for evaluation mode. Default true. */
  trackRunningStats?: boolean;
  device?: DeviceLike;
}

/**
 * Batch normalization over the channels of `[N, C]` or `[N, C, L]` input, as `nn.BatchNorm1d`. The buffers keep
 * PyTorch's names in the state dict (`running_mean`, `running_var`, `num_batches_tracked`) so checkpoints move
 * between the two; read them as `runningMean`, `runningVar` and `numBatchesTracked`.
 */
export class BatchNorm1d extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    this.numFeatures = numFeatures;
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const device = options.device;
    this.weight = this.affine ? new Parameter(ones([numFeatures], { device })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { device })) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures], { device }) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures], { device }) : null);
    this.registerBuffer('num_batches_tracked', track ? tensor(0, { dtype: 'int64', device }) : null);
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

  override forward(input: Tensor): Tensor {
    if (input.ndim !== 2 && input.ndim !== 3) throw new Error(`expected 2D or 3D input (got ${input.ndim}D input)`);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const count = this.numBatchesTracked;
      if (count) {
        count.add_(1);
        if (this.momentum === null) factor = 1 / Number(count.item());
      }
    }
    const useBatchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(
      input,
      useRunning ? this.runningMean : null,
      useRunning ? this.runningVar : null,
      this.weight,
      this.bias,
      useBatchStats,
      factor,
      this.eps,
    );
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
