import type { Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool3d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  type AdaptiveSize,
  type KernelSize,
  type AvgPoolOptions,
  type MaxPoolOptions,
} from '../functional/pooling.js';
import { perDim, type IntOrTuple } from '../functional/conv-args.js';
import { pyBool, pyTuple } from '../python-repr.js';

/** An int or a tuple as Python prints the value the layer was given. */
const pyValue = (v: IntOrTuple): string => (typeof v === 'number' ? String(v) : pyTuple(v));

const KERNEL = ['kernelSize'];
const MAX_KEYS = ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'];

/** `nn.MaxPool1d/2d(kernel_size, stride=kernel_size, padding, dilation, return_indices, ceil_mode)`. */
abstract class MaxPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly dilation: IntOrTuple;
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;

  constructor(name: string, args: unknown[]) {
    super();
    const o = bindArgs<KernelSize & MaxPoolOptions>({ fn: `${name}.__init__`, required: KERNEL, positional: MAX_KEYS }, args);
    const kernelSize = o.kernelSize;
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.returnIndices = o.returnIndices ?? false;
    this.ceilMode = o.ceilMode ?? false;
  }

  protected options(): MaxPoolOptions {
    const { stride, padding, dilation, ceilMode, returnIndices } = this;
    return { stride, padding, dilation, ceilMode, returnIndices };
  }

  override extraRepr(): string {
    return `kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}, padding=${pyValue(this.padding)}, dilation=${pyValue(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: IntOrTuple, ...args: [MaxPoolOptions?] | unknown[]);
  /** `kernelSize` by keyword too: `new nn.MaxPool1d({ kernelSize: 2, stride: 2 })`. */
  constructor(options: MaxPoolOptions & KernelSize);
  constructor(...args: unknown[]) {
    super('MaxPool1d', args);
  }

  /** The pooled tensor, or `[output, indices]` when the layer was built with `returnIndices`. */
  override forward(input: Tensor): Tensor {
    return maxPool1d(input, this.kernelSize, this.options() as MaxPoolOptions & { returnIndices: true }) as unknown as Tensor;
  }
}

export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: IntOrTuple, ...args: [MaxPoolOptions?] | unknown[]);
  /** `kernelSize` by keyword too: `new nn.MaxPool2d({ kernelSize: 2, stride: 2 })`. */
  constructor(options: MaxPoolOptions & KernelSize);
  constructor(...args: unknown[]) {
    super('MaxPool2d', args);
  }

  /** The pooled tensor, or `[output, indices]` when the layer was built with `returnIndices`. */
  override forward(input: Tensor): Tensor {
    return maxPool2d(input, this.kernelSize, this.options() as MaxPoolOptions & { returnIndices: true }) as unknown as Tensor;
  }
}

export class MaxPool3d extends MaxPoolNd {
  constructor(kernelSize: IntOrTuple, ...args: [MaxPoolOptions?] | unknown[]);
  /** `kernelSize` by keyword too: `new nn.MaxPool3d({ kernelSize: 2, stride: 2 })`. */
  constructor(options: MaxPoolOptions & KernelSize);
  constructor(...args: unknown[]) {
    super('MaxPool3d', args);
  }

  /** The pooled tensor, or `[output, indices]` when the layer was built with `returnIndices`. */
  override forward(input: Tensor): Tensor {
    return maxPool3d(input, this.kernelSize, this.options() as MaxPoolOptions & { returnIndices: true }) as unknown as Tensor;
  }
}

const AVG_KEYS = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'];

/** `nn.AvgPool1d(kernel_size, stride=kernel_size, padding, ceil_mode, count_include_pad)`; it prints its sizes as tuples. */
export class AvgPool1d extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: IntOrTuple, ...args: [AvgPoolOptions?] | unknown[]);
  /** `kernelSize` by keyword too: `new nn.AvgPool1d({ kernelSize: 2, stride: 2 })`. */
  constructor(options: AvgPoolOptions & KernelSize);
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<KernelSize & AvgPoolOptions>({ fn: 'AvgPool1d.__init__', required: KERNEL, positional: AVG_KEYS.slice(0, 4) }, args);
    const kernelSize = o.kernelSize;
    this.kernelSize = perDim('kernel_size', kernelSize, 1, 'pooling');
    this.stride = perDim('stride', o.stride ?? kernelSize, 1, 'pooling');
    this.padding = perDim('padding', o.padding ?? 0, 1, 'pooling');
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
  }

  override forward(input: Tensor): Tensor {
    const { stride, padding, ceilMode, countIncludePad } = this;
    return avgPool1d(input, this.kernelSize, { stride, padding, ceilMode, countIncludePad });
  }

  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/** `nn.AvgPool2d/3d(kernel_size, stride=kernel_size, padding, ceil_mode, count_include_pad, divisor_override)`. */
abstract class AvgPoolNd extends Module {
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple;
  readonly padding: IntOrTuple;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(args: unknown[]) {
    super();
    const o = bindArgs<KernelSize & AvgPoolOptions>({ fn: `${this._getName()}.__init__`, required: KERNEL, positional: AVG_KEYS }, args);
    const kernelSize = o.kernelSize;
    this.kernelSize = kernelSize;
    this.stride = o.stride ?? kernelSize;
    this.padding = o.padding ?? 0;
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
    this.divisorOverride = o.divisorOverride ?? null;
  }

  protected options(): AvgPoolOptions {
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return { stride, padding, ceilMode, countIncludePad, divisorOverride };
  }

  override extraRepr(): string {
    return `kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}, padding=${pyValue(this.padding)}`;
  }
}

export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: IntOrTuple, ...args: [AvgPoolOptions?] | unknown[]);
  /** `kernelSize` by keyword too: `new nn.AvgPool2d({ kernelSize: 2, stride: 2 })`. */
  constructor(options: AvgPoolOptions & KernelSize);
  constructor(...args: unknown[]) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, this.options());
  }
}

export class AvgPool3d extends AvgPoolNd {
  constructor(kernelSize: IntOrTuple, ...args: [AvgPoolOptions?] | unknown[]);
  /** `kernelSize` by keyword too: `new nn.AvgPool3d({ kernelSize: 2, stride: 2 })`. */
  constructor(options: AvgPoolOptions & KernelSize);
  constructor(...args: unknown[]) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return avgPool3d(input, this.kernelSize, this.options());
  }
}

/** `output_size=(None, 3)`: an int, or a tuple whose None keeps the input's size. */
function pyOutputSize(size: AdaptiveSize): string {
  if (typeof size === 'number') return String(size);
  const items = size.map((s) => (s === null ? 'None' : String(s)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** The adaptive pools' arguments, which PyTorch also takes by keyword: `nn.AdaptiveAvgPool2d(output_size=(1, 1))`. */
export interface AdaptivePoolOptions {
  outputSize: AdaptiveSize;
  /** Max pools only: also return the winners' indices. Default false. */
  returnIndices?: boolean;
}

abstract class AdaptivePool extends Module {
  readonly outputSize: AdaptiveSize;
  readonly returnIndices: boolean;

  constructor(args: unknown[], max: boolean) {
    super();
    const spec = { fn: `${this._getName()}.__init__`, required: ['outputSize'], positional: max ? ['returnIndices'] : [] };
    const o = bindArgs<AdaptivePoolOptions>(spec, args);
    this.outputSize = o.outputSize;
    this.returnIndices = o.returnIndices ?? false;
  }

  override extraRepr(): string {
    return `output_size=${pyOutputSize(this.outputSize)}`;
  }
}

/** `nn.AdaptiveAvgPool1d(output_size)`. */
export class AdaptiveAvgPool1d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize);
  constructor(options: Omit<AdaptivePoolOptions, 'returnIndices'>);
  constructor(...args: unknown[]) {
    super(args, false);
  }

  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }
}

/** `nn.AdaptiveAvgPool2d(output_size)`: `new nn.AdaptiveAvgPool2d([1, 1])` or `new nn.AdaptiveAvgPool2d({ outputSize: [1, 1] })`. */
export class AdaptiveAvgPool2d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize);
  constructor(options: Omit<AdaptivePoolOptions, 'returnIndices'>);
  constructor(...args: unknown[]) {
    super(args, false);
  }

  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }
}

/** `nn.AdaptiveMaxPool1d(output_size, return_indices=False)`. */
export class AdaptiveMaxPool1d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize, returnIndices?: boolean);
  constructor(outputSize: AdaptiveSize, options: Omit<AdaptivePoolOptions, 'outputSize'>);
  constructor(options: AdaptivePoolOptions);
  constructor(...args: unknown[]) {
    super(args, true);
  }

  override forward(input: Tensor): Tensor {
    return adaptiveMaxPool1d(input, this.outputSize, this.returnIndices as true) as unknown as Tensor;
  }
}

/** `nn.AdaptiveMaxPool2d(output_size, return_indices=False)`. */
export class AdaptiveMaxPool2d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize, returnIndices?: boolean);
  constructor(outputSize: AdaptiveSize, options: Omit<AdaptivePoolOptions, 'outputSize'>);
  constructor(options: AdaptivePoolOptions);
  constructor(...args: unknown[]) {
    super(args, true);
  }

  override forward(input: Tensor): Tensor {
    return adaptiveMaxPool2d(input, this.outputSize, this.returnIndices as true) as unknown as Tensor;
  }
}

/** `nn.AdaptiveAvgPool3d(output_size)`; a null size keeps the input's. */
export class AdaptiveAvgPool3d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize);
  constructor(options: Omit<AdaptivePoolOptions, 'returnIndices'>);
  constructor(...args: unknown[]) {
    super(args, false);
  }

  override forward(input: Tensor): Tensor {
    return adaptiveAvgPool3d(input, this.outputSize);
  }
}

/** `nn.AdaptiveMaxPool3d(output_size, return_indices=False)`. */
export class AdaptiveMaxPool3d extends AdaptivePool {
  constructor(outputSize: AdaptiveSize, returnIndices?: boolean);
  constructor(outputSize: AdaptiveSize, options: Omit<AdaptivePoolOptions, 'outputSize'>);
  constructor(options: AdaptivePoolOptions);
  constructor(...args: unknown[]) {
    super(args, true);
  }

  override forward(input: Tensor): Tensor {
    return adaptiveMaxPool3d(input, this.outputSize, this.returnIndices as true) as unknown as Tensor;
  }
}
