import { empty, type DeviceLike, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { linear } from '../functional/linear.js';
import { pyBool } from '../python-repr.js';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';

export interface LinearOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
  device?: DeviceLike;
}

/** `y = x W^T + b`, as `nn.Linear`, initialized exactly as PyTorch does (same seed, same weights). */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]`. */
  weight: Parameter;
  bias: Parameter | null;

  /** `nn.Linear(in_features, out_features, bias=True, device=None)`: `bias` by position too (`new Linear(3, 2, false)`). */
  constructor(inFeatures: number, outFeatures: number, ...args: ArgsThenOptions<[bias: boolean, device: DeviceLike], LinearOptions>);
  /** The sizes by keyword too: `new nn.Linear({ inFeatures: 3, outFeatures: 2 })`, `new nn.Linear(3, { outFeatures: 2 })`. */
  constructor(inFeatures: number, options: LinearOptions & { outFeatures: number });
  constructor(options: LinearOptions & { inFeatures: number; outFeatures: number });
  constructor(...args: unknown[]) {
    super();
    const spec = { fn: 'Linear.__init__', required: ['inFeatures', 'outFeatures'], positional: ['bias', 'device'] };
    const options = bindArgs<LinearOptions & { inFeatures: number; outFeatures: number }>(spec, args);
    const { inFeatures, outFeatures } = options;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], { device: options.device }));
    this.bias = options.bias === false ? null : new Parameter(empty([outFeatures], { device: options.device }));
    this.resetParameters();
  }

  /** PyTorch's `reset_parameters`: kaiming_uniform_(a=sqrt(5)) on the weight, then U(-1/sqrt(fanIn), 1/sqrt(fanIn)) on the bias. */
  resetParameters(): void {
    kaimingUniform_(this.weight, Math.sqrt(5));
    if (this.bias) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
