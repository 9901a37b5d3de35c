import { empty, type DeviceLike, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { Parameter } from '../parameter.js';
import { Linear, type LinearOptions } from './linear.js';

/**
 * `nn.LazyLinear(out_features, bias=True, device=None)`: a Linear whose `inFeatures` is the last dim of its first
 * input. Until then its parameters are empty placeholders (PyTorch's UninitializedParameter) and nothing is drawn;
 * the first call sizes them, initializes them from the RNG as `Linear.resetParameters` does, and the module becomes
 * a `Linear` (PyTorch's `cls_to_become`), printing as one.
 */
export class LazyLinear extends Linear {
  private readonly lazyDevice?: DeviceLike;

  constructor(outFeatures: number, ...args: ArgsThenOptions<[bias: boolean, device: DeviceLike], LinearOptions>);
  constructor(options: LinearOptions & { outFeatures: number });
  constructor(...args: unknown[]) {
    const o = bindArgs<LinearOptions & { outFeatures: number }>({ fn: 'LazyLinear.__init__', required: ['outFeatures'], positional: ['bias', 'device'] }, args);
    // As PyTorch: a Linear(0, 0, bias=False) (whose init draws nothing), then the placeholders.
    super(0, 0, { bias: false, device: o.device });
    this.lazyDevice = o.device;
    (this as { outFeatures: number }).outFeatures = o.outFeatures;
    this.weight = new Parameter(empty([0], { device: o.device }));
    this.bias = o.bias === false ? null : new Parameter(empty([0], { device: o.device }));
  }

  /** Whether the parameters still wait for the first input (PyTorch's `has_uninitialized_params()`). */
  hasUninitializedParams(): boolean {
    return Object.getPrototypeOf(this) === LazyLinear.prototype;
  }

  /** Nothing to draw while the parameters wait for the first input (PyTorch's LazyLinear.reset_parameters). */
  override resetParameters(): void {
    if (!this.hasUninitializedParams() && this.inFeatures !== 0) super.resetParameters();
  }

  /** Sizes the parameters from `input`'s last dim and initializes them (PyTorch's `initialize_parameters`). */
  initializeParameters(input: Tensor): void {
    if (!this.hasUninitializedParams()) return;
    const inFeatures = input.shape[input.ndim - 1];
    (this as { inFeatures: number }).inFeatures = inFeatures;
    this.weight = new Parameter(empty([this.outFeatures, inFeatures], { device: this.lazyDevice }));
    if (this.bias) this.bias = new Parameter(empty([this.outFeatures], { device: this.lazyDevice }));
    Object.setPrototypeOf(this, Linear.prototype);
    this.resetParameters();
  }

  override forward(input: Tensor): Tensor {
    this.initializeParameters(input);
    return super.forward(input);
  }
}
