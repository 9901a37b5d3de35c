import type { Tensor } from '@descent/tensor';
import { batchNorm } from '../functional/normalization.js';
import { NormBase, type BatchNormOptions, type NormArgs, type NumFeatures } from './norm-base.js';

export type { BatchNormOptions } from './norm-base.js';

/**
 * Batch normalization over the channels (dim 1), as PyTorch's `_BatchNorm`: training normalizes with the batch's
 * statistics and updates the running ones (momentum null: a cumulative average over `num_batches_tracked`);
 * evaluation normalizes with the running statistics, or the batch's when none are tracked.
 */
abstract class BatchNormNd extends NormBase {
  constructor(args: readonly unknown[]) {
    super(args, { affine: true, trackRunningStats: true });
  }

  /** PyTorch's `_check_input_dim`. */
  protected abstract checkInputDim(input: Tensor): void;

  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
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
    return batchNorm(input, useRunning ? this.runningMean : null, useRunning ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }
}

/** `nn.BatchNorm1d(num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)` over `[N, C]` or `[N, C, L]`. */
export class BatchNorm1d extends BatchNormNd {
  constructor(numFeatures: number, ...args: NormArgs);
  /** `numFeatures` by keyword too: `new nn.BatchNorm1d({ numFeatures: 3 })`. */
  constructor(options: BatchNormOptions & NumFeatures);
  constructor(...args: unknown[]) {
    super(args);
  }

  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 2 && input.ndim !== 3) throw new RangeError(`expected 2D or 3D input (got ${input.ndim}D input)`);
  }
}

/** `nn.BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)` over `[N, C, H, W]`. */
export class BatchNorm2d extends BatchNormNd {
  constructor(numFeatures: number, ...args: NormArgs);
  /** `numFeatures` by keyword too: `new nn.BatchNorm2d({ numFeatures: 3 })`. */
  constructor(options: BatchNormOptions & NumFeatures);
  constructor(...args: unknown[]) {
    super(args);
  }

  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 4) throw new RangeError(`expected 4D input (got ${input.ndim}D input)`);
  }
}

/** `nn.BatchNorm3d(num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)` over `[N, C, D, H, W]`. */
export class BatchNorm3d extends BatchNormNd {
  constructor(numFeatures: number, ...args: NormArgs);
  /** `numFeatures` by keyword too: `new nn.BatchNorm3d({ numFeatures: 3 })`. */
  constructor(options: BatchNormOptions & NumFeatures);
  constructor(...args: unknown[]) {
    super(args);
  }

  protected checkInputDim(input: Tensor): void {
    if (input.ndim !== 5) throw new RangeError(`expected 5D input (got ${input.ndim}D input)`);
  }
}
