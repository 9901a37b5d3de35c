import { ones, zeros, type Tensor } from '@descent/tensor';
import { Parameter } from '../parameter.js';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from './batch-norm.js';
import type { NormArgs } from './norm-base.js';
import { warnLazyModule } from './lazy-warning.js';

// nn.LazyBatchNorm1d/2d/3d (d2l's `nn.LazyBatchNorm2d()`): batch norm whose num_features is the channel dim of its
// first input. Until then weight, bias and running statistics are empty (PyTorch's uninitialized parameters and
// buffers); the first call sizes them to ones and zeros, and the module becomes the plain BatchNorm (cls_to_become).

type AnyBatchNorm = BatchNorm1d | BatchNorm2d | BatchNorm3d;

/** Sizes the parameters and buffers to `numFeatures` channels, as PyTorch's materialize then reset_parameters. */
function materialize(norm: AnyBatchNorm, numFeatures: number): void {
  const factory = { device: norm.runningMean?.device ?? norm.weight?.device, dtype: norm.weight?.dtype ?? norm.runningMean?.dtype };
  (norm as unknown as { numFeatures: number }).numFeatures = numFeatures;
  if (norm.affine) {
    norm.weight = new Parameter(ones([numFeatures], factory));
    norm.bias = new Parameter(zeros([numFeatures], factory));
  }
  if (norm.trackRunningStats) {
    norm.registerBuffer('running_mean', zeros([numFeatures], factory));
    norm.registerBuffer('running_var', ones([numFeatures], factory));
    norm.numBatchesTracked?.zero_();
  }
}

/** `nn.LazyBatchNorm1d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm1d extends BatchNorm1d {
  constructor(...args: NormArgs) {
    super(0, ...args);
    warnLazyModule();
  }
  /** Whether the parameters still wait for the first input (PyTorch's `has_uninitialized_params()`). */
  hasUninitializedParams(): boolean {
    return this.numFeatures === 0;
  }
  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    if (this.numFeatures === 0) materialize(this, input.shape[1]);
    Object.setPrototypeOf(this, BatchNorm1d.prototype);
    return BatchNorm1d.prototype.forward.call(this, input);
  }
}

/** `nn.LazyBatchNorm2d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm2d extends BatchNorm2d {
  constructor(...args: NormArgs) {
    super(0, ...args);
    warnLazyModule();
  }
  /** Whether the parameters still wait for the first input (PyTorch's `has_uninitialized_params()`). */
  hasUninitializedParams(): boolean {
    return this.numFeatures === 0;
  }
  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    if (this.numFeatures === 0) materialize(this, input.shape[1]);
    Object.setPrototypeOf(this, BatchNorm2d.prototype);
    return BatchNorm2d.prototype.forward.call(this, input);
  }
}

/** `nn.LazyBatchNorm3d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm3d extends BatchNorm3d {
  constructor(...args: NormArgs) {
    super(0, ...args);
    warnLazyModule();
  }
  /** Whether the parameters still wait for the first input (PyTorch's `has_uninitialized_params()`). */
  hasUninitializedParams(): boolean {
    return this.numFeatures === 0;
  }
  override forward(input: Tensor): Tensor {
    this.checkInputDim(input);
    if (this.numFeatures === 0) materialize(this, input.shape[1]);
    Object.setPrototypeOf(this, BatchNorm3d.prototype);
    return BatchNorm3d.prototype.forward.call(this, input);
  }
}
