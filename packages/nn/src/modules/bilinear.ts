import { empty, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { uniform_ } from '../init.js';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bilinear } from '../functional/bilinear.js';
import { pyBool } from '../python-repr.js';

export interface BilinearOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
  device?: DeviceLike;
  dtype?: DType;
}

/** Bilinear's required arguments, which PyTorch also takes by keyword. */
export interface BilinearSizes {
  in1Features: number;
  in2Features: number;
  outFeatures: number;
}

/** `y = x1^T W x2 + b`, as `nn.Bilinear(in1_features, in2_features, out_features, bias=True)`. */
export class Bilinear extends Module {
  /** `[outFeatures, in1Features, in2Features]`. */
  weight: Parameter;
  bias: Parameter | null;

  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;

  constructor(in1Features: number, in2Features: number, outFeatures: number, ...args: ArgsThenOptions<[bias: boolean], BilinearOptions>);
  /** The sizes by keyword too: `new nn.Bilinear({ in1Features: 2, in2Features: 3, outFeatures: 4 })`. */
  constructor(in1Features: number, in2Features: number, options: BilinearOptions & { outFeatures: number });
  constructor(options: BilinearOptions & BilinearSizes);
  constructor(...args: unknown[]) {
    super();
    const spec = { fn: 'Bilinear.__init__', required: ['in1Features', 'in2Features', 'outFeatures'], positional: ['bias'], keywordOnly: ['device', 'dtype'] };
    const o = bindArgs<BilinearOptions & BilinearSizes>(spec, args);
    const { in1Features, in2Features, outFeatures } = o;
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    const create = { device: o.device, dtype: o.dtype };
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], create));
    this.bias = o.bias === false ? null : new Parameter(empty([outFeatures], create));
    this.resetParameters();
  }

  /** PyTorch's `reset_parameters`: U(-1/sqrt(in1), 1/sqrt(in1)) on the weight, then on the bias. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.shape[1]);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor {
    return bilinear(input1, input2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
