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

/** What the lazy form adds, declared so the classes' types name no anonymous class. */
interface LazyMembers {
  hasUninitializedParams(): boolean;
}

/** The lazy form of a batch norm class: built with 0 features, sized by its first input, then `Base` itself. */
function lazyBatchNorm(Base: typeof BatchNorm1d | typeof BatchNorm2d | typeof BatchNorm3d): new (...args: NormArgs) => BatchNorm2d & LazyMembers {
  // The three classes differ only in the input ranks they check: one instance type serves them all.
  const Plain = Base as unknown as new (numFeatures: number, ...args: NormArgs) => BatchNorm2d;
  return class extends Plain {
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
      Object.setPrototypeOf(this, Base.prototype);
      return (Base.prototype.forward as (x: Tensor) => Tensor).call(this, input);
    }
  };
}

/** `nn.LazyBatchNorm1d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm1d extends lazyBatchNorm(BatchNorm1d) {}

/** `nn.LazyBatchNorm2d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm2d extends lazyBatchNorm(BatchNorm2d) {}

/** `nn.LazyBatchNorm3d(eps=1e-5, momentum=0.1, affine=True, track_running_stats=True)`. */
export class LazyBatchNorm3d extends lazyBatchNorm(BatchNorm3d) {}
