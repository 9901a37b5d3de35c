import { empty, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '../init.js';
import { conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d, type ConvPadding } from '../functional/conv.js';
import { perDim, type IntOrTuple } from '../functional/conv-args.js';
import { pad } from '../functional/pad.js';
import { pyTuple } from '../python-repr.js';

export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

export interface ConvModuleOptions {
  stride?: IntOrTuple;
  padding?: ConvPadding;
  dilation?: IntOrTuple;
  groups?: number;
  /** Learn an additive bias. Default true. */
  bias?: boolean;
  paddingMode?: PaddingMode;
  device?: DeviceLike;
  dtype?: DType;
}

export interface ConvTransposeModuleOptions extends Omit<ConvModuleOptions, 'padding'> {
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
}

/** The required arguments of a convolution layer, which PyTorch also takes by keyword (`kernel_size=5`). */
export interface ConvSizes {
  inChannels: number;
  outChannels: number;
  kernelSize: IntOrTuple;
}

type Bound = ConvSizes & ConvTransposeModuleOptions & { padding?: ConvPadding; name: string };

const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'];

/** What Conv and ConvTranspose share: PyTorch's `_ConvNd`, its checks, parameters, init and printing. */
abstract class ConvNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | 'same' | 'valid';
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  weight: Parameter;
  bias: Parameter | null;

  readonly inChannels: number;
  readonly outChannels: number;

  constructor(
    options: Bound,
    dims: number,
    readonly transposed: boolean,
  ) {
    super();
    const { inChannels, outChannels, kernelSize } = options;
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    const groups = options.groups ?? 1;
    if (!Number.isInteger(groups) || groups <= 0) throw new RangeError('groups must be a positive integer');
    if (inChannels % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
    const padding = options.padding ?? 0;
    this.stride = perDim('stride', options.stride ?? 1, dims);
    if (typeof padding === 'string') {
      if (transposed) throw new RangeError(`padding='${padding}' is not supported for transposed convolutions: give the padding as numbers`);
      if (padding !== 'same' && padding !== 'valid') throw new RangeError(`Invalid padding string '${padding}', should be one of {'same', 'valid'}`);
      if (padding === 'same' && this.stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
      this.padding = padding;
    } else this.padding = perDim('padding', padding, dims);
    const paddingMode = options.paddingMode ?? 'zeros';
    if (!PADDING_MODES.includes(paddingMode)) {
      throw new RangeError(`padding_mode must be one of {'zeros', 'replicate', 'circular', 'reflect'}, but got padding_mode='${paddingMode}'`);
    }
    if (transposed && paddingMode !== 'zeros') throw new RangeError(`Only "zeros" padding mode is supported for ${options.name}`);
    this.paddingMode = paddingMode;
    this.kernelSize = perDim('kernel_size', kernelSize, dims);
    this.dilation = perDim('dilation', options.dilation ?? 1, dims);
    this.outputPadding = perDim('output_padding', options.outputPadding ?? 0, dims);
    this.groups = groups;
    const shape = transposed ? [inChannels, outChannels / groups, ...this.kernelSize] : [outChannels, inChannels / groups, ...this.kernelSize];
    const create = { device: options.device, dtype: options.dtype };
    this.weight = new Parameter(empty(shape, create));
    this.bias = options.bias === false ? null : new Parameter(empty([outChannels], create));
    this.resetParameters();
  }

  /** PyTorch's `reset_parameters`: kaiming_uniform_(a=sqrt(5)) on the weight, then U(-1/sqrt(fanIn), 1/sqrt(fanIn)) on the bias. */
  resetParameters(): void {
    kaimingUniform_(this.weight, Math.sqrt(5));
    if (this.bias) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) uniform_(this.bias, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));
    }
  }

  override extraRepr(): string {
    const isAll = (values: number[] | string, v: number) => typeof values !== 'string' && values.every((x) => x === v);
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (!isAll(this.padding, 0)) s += `, padding=${typeof this.padding === 'string' ? this.padding : pyTuple(this.padding)}`;
    if (!isAll(this.dilation, 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (!isAll(this.outputPadding, 0)) s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }

  /**
   * PyTorch's `_conv_forward`: with a padding mode other than zeros the input is padded first (`F.pad` in that mode,
   * by `_reversed_padding_repeated_twice`: 'same' puts the odd element after) and convolved without padding.
   */
  protected convolve(input: Tensor, conv: typeof conv2d): Tensor {
    const options = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === 'zeros') return conv(input, this.weight, this.bias, { ...options, padding: this.padding });
    const mode = this.paddingMode;
    const reversed: number[] = [];
    for (let d = this.kernelSize.length - 1; d >= 0; d--) {
      if (this.padding === 'valid') reversed.push(0, 0);
      else if (this.padding === 'same') {
        const total = this.dilation[d] * (this.kernelSize[d] - 1);
        reversed.push(Math.floor(total / 2), total - Math.floor(total / 2));
      } else reversed.push(this.padding[d], this.padding[d]);
    }
    return conv(pad(input, reversed, mode), this.weight, this.bias, { ...options, padding: 0 });
  }
}

const SIZES = ['inChannels', 'outChannels', 'kernelSize'];
const CONV_POSITIONAL = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'device', 'dtype'];
const CONV_TRANSPOSE_POSITIONAL = ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode', 'device', 'dtype'];
/** Python's binding of `_ConvNd.__init__`: every argument by position or by keyword. */
const bindConv = (name: string, transposed: boolean, args: unknown[]): Bound => ({
  ...bindArgs<Bound>({ fn: `${name}.__init__`, required: SIZES, positional: transposed ? CONV_TRANSPOSE_POSITIONAL : CONV_POSITIONAL }, args),
  name,
});

/** `nn.Conv1d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, ...args: [ConvModuleOptions?] | unknown[]);
  /** The required arguments by keyword too: `new nn.Conv1d(3, 4, { kernelSize: 3 })`, `new nn.Conv1d({ inChannels: 3, ... })`. */
  constructor(inChannels: number, outChannels: number, options: ConvModuleOptions & Pick<ConvSizes, 'kernelSize'>);
  constructor(inChannels: number, options: ConvModuleOptions & Omit<ConvSizes, 'inChannels'>);
  constructor(options: ConvModuleOptions & ConvSizes);
  constructor(...args: unknown[]) {
    super(bindConv('Conv1d', false, args), 1, false);
  }

  override forward(input: Tensor): Tensor {
    return this.convolve(input, conv1d);
  }
}

/** `nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, ...args: [ConvModuleOptions?] | unknown[]);
  /** The required arguments by keyword too: `new nn.Conv2d(3, 4, { kernelSize: 3 })`, `new nn.Conv2d({ inChannels: 3, ... })`. */
  constructor(inChannels: number, outChannels: number, options: ConvModuleOptions & Pick<ConvSizes, 'kernelSize'>);
  constructor(inChannels: number, options: ConvModuleOptions & Omit<ConvSizes, 'inChannels'>);
  constructor(options: ConvModuleOptions & ConvSizes);
  constructor(...args: unknown[]) {
    super(bindConv('Conv2d', false, args), 2, false);
  }

  override forward(input: Tensor): Tensor {
    return this.convolve(input, conv2d);
  }
}

/** `nn.ConvTranspose1d(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation)`. */
export class ConvTranspose1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, ...args: [ConvTransposeModuleOptions?] | unknown[]);
  /** The required arguments by keyword too: `new nn.ConvTranspose1d(3, 4, { kernelSize: 3 })`, `new nn.ConvTranspose1d({ inChannels: 3, ... })`. */
  constructor(inChannels: number, outChannels: number, options: ConvTransposeModuleOptions & Pick<ConvSizes, 'kernelSize'>);
  constructor(inChannels: number, options: ConvTransposeModuleOptions & Omit<ConvSizes, 'inChannels'>);
  constructor(options: ConvTransposeModuleOptions & ConvSizes);
  constructor(...args: unknown[]) {
    super(bindConv('ConvTranspose1d', true, args), 1, true);
  }

  override forward(input: Tensor): Tensor {
    const { stride, dilation, groups, outputPadding } = this;
    return convTranspose1d(input, this.weight, this.bias, { stride, padding: this.padding as number[], outputPadding, groups, dilation });
  }
}

/** `nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation)`. */
export class ConvTranspose2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, ...args: [ConvTransposeModuleOptions?] | unknown[]);
  /** The required arguments by keyword too: `new nn.ConvTranspose2d(3, 4, { kernelSize: 3 })`, `new nn.ConvTranspose2d({ inChannels: 3, ... })`. */
  constructor(inChannels: number, outChannels: number, options: ConvTransposeModuleOptions & Pick<ConvSizes, 'kernelSize'>);
  constructor(inChannels: number, options: ConvTransposeModuleOptions & Omit<ConvSizes, 'inChannels'>);
  constructor(options: ConvTransposeModuleOptions & ConvSizes);
  constructor(...args: unknown[]) {
    super(bindConv('ConvTranspose2d', true, args), 2, true);
  }

  override forward(input: Tensor): Tensor {
    const { stride, dilation, groups, outputPadding } = this;
    return convTranspose2d(input, this.weight, this.bias, { stride, padding: this.padding as number[], outputPadding, groups, dilation });
  }
}

/** `nn.Conv3d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`. */
export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, ...args: [ConvModuleOptions?] | unknown[]);
  /** The required arguments by keyword too: `new nn.Conv3d(3, 4, { kernelSize: 3 })`, `new nn.Conv3d({ inChannels: 3, ... })`. */
  constructor(inChannels: number, outChannels: number, options: ConvModuleOptions & Pick<ConvSizes, 'kernelSize'>);
  constructor(inChannels: number, options: ConvModuleOptions & Omit<ConvSizes, 'inChannels'>);
  constructor(options: ConvModuleOptions & ConvSizes);
  constructor(...args: unknown[]) {
    super(bindConv('Conv3d', false, args), 3, false);
  }

  override forward(input: Tensor): Tensor {
    return this.convolve(input, conv3d);
  }
}

/** `nn.ConvTranspose3d(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation)`. */
export class ConvTranspose3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: IntOrTuple, ...args: [ConvTransposeModuleOptions?] | unknown[]);
  /** The required arguments by keyword too: `new nn.ConvTranspose3d(3, 4, { kernelSize: 3 })`, `new nn.ConvTranspose3d({ inChannels: 3, ... })`. */
  constructor(inChannels: number, outChannels: number, options: ConvTransposeModuleOptions & Pick<ConvSizes, 'kernelSize'>);
  constructor(inChannels: number, options: ConvTransposeModuleOptions & Omit<ConvSizes, 'inChannels'>);
  constructor(options: ConvTransposeModuleOptions & ConvSizes);
  constructor(...args: unknown[]) {
    super(bindConv('ConvTranspose3d', true, args), 3, true);
  }

  override forward(input: Tensor): Tensor {
    const { stride, dilation, groups, outputPadding } = this;
    return convTranspose3d(input, this.weight, this.bias, { stride, padding: this.padding as number[], outputPadding, groups, dilation });
  }
}
