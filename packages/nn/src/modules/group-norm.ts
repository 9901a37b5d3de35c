import { ones, zeros, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { groupNorm } from '../functional/normalization.js';
import { pyBool, pyFloat } from '../python-repr.js';

export interface GroupNormOptions {
  /** Added to the variance for numerical stability. Default 1e-5. */
  eps?: number;
  /** Learn a per-channel scale (ones) and shift (zeros). Default true. */
  affine?: boolean;
  device?: DeviceLike;
  dtype?: DType;
}

/** Each sample's channels split into `numGroups` groups, each normalized over its channels and spatial dims, as `nn.GroupNorm`. */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  /** `nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)`. */
  constructor(numGroups: number, numChannels: number, ...args: ArgsThenOptions<[eps: number, affine: boolean], GroupNormOptions>);
  /** The sizes by keyword too: `new nn.GroupNorm({ numGroups: 1, numChannels: 3 })`. */
  constructor(numGroups: number, options: GroupNormOptions & { numChannels: number });
  constructor(options: GroupNormOptions & { numGroups: number; numChannels: number });
  constructor(...args: unknown[]) {
    super();
    const spec = { fn: 'GroupNorm.__init__', required: ['numGroups', 'numChannels'], positional: ['eps', 'affine'], keywordOnly: ['device', 'dtype'] };
    const o = bindArgs<GroupNormOptions & { numGroups: number; numChannels: number }>(spec, args);
    const { numGroups, numChannels } = o;
    if (numChannels % numGroups !== 0) throw new RangeError('num_channels must be divisible by num_groups');
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    this.eps = o.eps ?? 1e-5;
    this.affine = o.affine ?? true;
    const factory = { device: o.device, dtype: o.dtype };
    this.weight = this.affine ? new Parameter(ones([numChannels], factory)) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels], factory)) : null;
  }

  override forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
