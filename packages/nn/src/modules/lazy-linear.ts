import { empty, Tensor, type DeviceLike } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { Parameter } from '../parameter.js';
import type { LoadContext } from '../state-dict.js';
import { Linear, type LinearOptions } from './linear.js';
import { warnLazyModule } from './lazy-warning.js';

/**
 * `nn.LazyLinear(out_features, bias=True, device=None)`: a Linear whose `inFeatures` is the last dim of its first
 * input. Until then its parameters are empty placeholders (PyTorch's UninitializedParameter) and nothing is drawn;
 * the first call sizes them, initializes them from the RNG as `Linear.resetParameters` does, and the module becomes
 * a `Linear` (PyTorch's `cls_to_become`), printing as one.
 */
export class LazyLinear extends Linear {
  private readonly lazyDevice?: DeviceLike;
  /** Whether the parameters are still placeholders (neither sized by a call nor loaded). */
  private uninitialized = true;

  constructor(outFeatures: number, ...args: ArgsThenOptions<[bias: boolean, device: DeviceLike], LinearOptions>);
  constructor(options: LinearOptions & { outFeatures: number });
  constructor(...args: unknown[]) {
    const o = bindArgs<LinearOptions & { outFeatures: number }>({ fn: 'LazyLinear.__init__', required: ['outFeatures'], positional: ['bias', 'device'] }, args);
    // As PyTorch: a Linear(0, 0, bias=False) (whose init draws nothing), then the placeholders.
    super(0, 0, { bias: false, device: o.device });
    warnLazyModule();
    this.lazyDevice = o.device;
    (this as { outFeatures: number }).outFeatures = o.outFeatures;
    this.weight = new Parameter(empty([0], { device: o.device }));
    this.bias = o.bias === false ? null : new Parameter(empty([0], { device: o.device }));
  }

  /** Whether the parameters still wait for the first input (PyTorch's `has_uninitialized_params()`). */
  hasUninitializedParams(): boolean {
    return this.uninitialized;
  }

  /** Nothing to draw while the parameters wait for the first input (PyTorch's LazyLinear.reset_parameters). */
  override resetParameters(): void {
    if (!this.uninitialized && this.inFeatures !== 0) super.resetParameters();
  }

  /** Sizes the parameters from `input`'s last dim and initializes them (PyTorch's `initialize_parameters`). */
  initializeParameters(input: Tensor): void {
    if (!this.uninitialized) return;
    const inFeatures = input.shape[input.ndim - 1];
    (this as { inFeatures: number }).inFeatures = inFeatures;
    this.materialize([this.outFeatures, inFeatures]);
    this.resetParameters();
  }

  override forward(input: Tensor): Tensor {
    this.initializeParameters(input);
    // From here on it is a Linear, as PyTorch swaps the class (a loaded one keeps in_features=0, as there).
    Object.setPrototypeOf(this, Linear.prototype);
    return super.forward(input);
  }

  /** A checkpoint loaded before the first call sizes the placeholders to its shapes (PyTorch's `_lazy_load_hook`). */
  override _loadFromStateDict(context: LoadContext, prefix: string): void {
    const weight = context.stateDict.get(`${prefix}weight`);
    if (this.uninitialized && weight instanceof Tensor) this.materialize(weight.shape);
    super._loadFromStateDict(context, prefix);
  }

  private materialize(shape: readonly number[]): void {
    this.weight = new Parameter(empty(shape, { device: this.lazyDevice }));
    if (this.bias) this.bias = new Parameter(empty([shape[0]], { device: this.lazyDevice }));
    this.uninitialized = false;
  }
}
