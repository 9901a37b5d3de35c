import type { Tensor } from '@descent/tensor';
import { instanceNorm } from '../functional/normalization.js';
import { NormBase, type BatchNormOptions, type NormArgs, type NumFeatures } from './norm-base.js';

/**
 * Instance normalization, as PyTorch's `_InstanceNorm`: each channel of each sample normalized over its spatial
 * dims. Unlike batch norm, `affine` and `trackRunningStats` default to false; with running statistics, evaluation
 * uses them (and `num_batches_tracked` is kept but never counted, as in PyTorch).
 */
abstract class InstanceNormNd extends NormBase {
  constructor(
    args: readonly unknown[],
    private readonly spatialDims: number,
  ) {
    super(args, { affine: false, trackRunningStats: false });
  }

  override forward(input: Tensor): Tensor {
    const unbatched = this.spatialDims + 1;
    if (input.ndim !== unbatched && input.ndim !== unbatched + 1) {
      throw new RangeError(`expected ${unbatched}D or ${unbatched + 1}D input (got ${input.ndim}D input)`);
    }
    if (input.ndim === unbatched) return this.normalize(input.unsqueeze(0)).squeeze(0);
    return this.normalize(input);
  }

  private normalize(input: Tensor): Tensor {
    return instanceNorm(input, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum ?? undefined,
      eps: this.eps,
    });
  }
}

/** `nn.InstanceNorm1d(num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False)` over `[N, C, L]` or `[C, L]`. */
export class InstanceNorm1d extends InstanceNormNd {
  constructor(numFeatures: number, ...args: NormArgs);
  /** `numFeatures` by keyword too: `new nn.InstanceNorm1d({ numFeatures: 3, affine: true })`. */
  constructor(options: BatchNormOptions & NumFeatures);
  constructor(...args: unknown[]) {
    super(args, 1);
  }
}

/** `nn.InstanceNorm2d(num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False)` over `[N, C, H, W]` or `[C, H, W]`. */
export class InstanceNorm2d extends InstanceNormNd {
  constructor(numFeatures: number, ...args: NormArgs);
  /** `numFeatures` by keyword too: `new nn.InstanceNorm2d({ numFeatures: 3, affine: true })`. */
  constructor(options: BatchNormOptions & NumFeatures);
  constructor(...args: unknown[]) {
    super(args, 2);
  }
}

/** `nn.InstanceNorm3d(num_features, eps=1e-5, momentum=0.1, affine=False, track_running_stats=False)` over `[N, C, D, H, W]` or `[C, D, H, W]`. */
export class InstanceNorm3d extends InstanceNormNd {
  constructor(numFeatures: number, ...args: NormArgs);
  /** `numFeatures` by keyword too: `new nn.InstanceNorm3d({ numFeatures: 3, affine: true })`. */
  constructor(options: BatchNormOptions & NumFeatures);
  constructor(...args: unknown[]) {
    super(args, 3);
  }
}
