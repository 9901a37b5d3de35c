import type { Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { maxUnpool1d, maxUnpool2d, maxUnpool3d, type MaxUnpoolOptions } from '../functional/unpooling.js';
import type { KernelSize } from '../functional/pooling.js';
import { perDim, type IntOrTuple } from '../functional/conv-args.js';
import { pyTuple } from '../python-repr.js';

export type MaxUnpoolModuleOptions = Omit<MaxUnpoolOptions, 'outputSize'>;

const UNPOOLS = { 1: maxUnpool1d, 2: maxUnpool2d, 3: maxUnpool3d } as const;

/** PyTorch's `_MaxUnpoolNd`: the sizes as tuples (`_single`, `_pair`, `_triple`), the stride defaulting to the kernel. */
abstract class MaxUnpoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];

  constructor(
    private readonly dims: 1 | 2 | 3,
    args: unknown[],
  ) {
    super();
    const o = bindArgs<KernelSize & MaxUnpoolModuleOptions>({ fn: `${this._getName()}.__init__`, required: ['kernelSize'], positional: ['stride', 'padding'] }, args);
    this.kernelSize = perDim('kernel_size', o.kernelSize, dims, 'pooling');
    this.stride = perDim('stride', o.stride ?? o.kernelSize, dims, 'pooling');
    this.padding = perDim('padding', o.padding ?? 0, dims, 'pooling');
  }

  /** The unpooled input; `outputSize` as `forward(input, indices, output_size=None)` takes it. */
  override forward(input: Tensor, indices: Tensor, outputSize: readonly number[] | null = null): Tensor {
    const { stride, padding } = this;
    return UNPOOLS[this.dims](input, indices, this.kernelSize, { stride, padding, outputSize });
  }

  override extraRepr(): string {
    return `kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}, padding=${pyTuple(this.padding)}`;
  }
}

/** `nn.MaxUnpool1d(kernel_size, stride=None, padding=0)`: `unpool(output, indices)` of a `MaxPool1d` with `returnIndices`. */
export class MaxUnpool1d extends MaxUnpoolNd {
  constructor(kernelSize: IntOrTuple, stride?: IntOrTuple | null, padding?: IntOrTuple);
  constructor(kernelSize: IntOrTuple, options: MaxUnpoolModuleOptions);
  constructor(options: MaxUnpoolModuleOptions & KernelSize);
  constructor(...args: unknown[]) {
    super(1, args);
  }
}

/** `nn.MaxUnpool2d(kernel_size, stride=None, padding=0)`: `unpool(output, indices)` of a `MaxPool2d` with `returnIndices`. */
export class MaxUnpool2d extends MaxUnpoolNd {
  constructor(kernelSize: IntOrTuple, stride?: IntOrTuple | null, padding?: IntOrTuple);
  constructor(kernelSize: IntOrTuple, options: MaxUnpoolModuleOptions);
  constructor(options: MaxUnpoolModuleOptions & KernelSize);
  constructor(...args: unknown[]) {
    super(2, args);
  }
}

/** `nn.MaxUnpool3d(kernel_size, stride=None, padding=0)`: `unpool(output, indices)` of a `MaxPool3d` with `returnIndices`. */
export class MaxUnpool3d extends MaxUnpoolNd {
  constructor(kernelSize: IntOrTuple, stride?: IntOrTuple | null, padding?: IntOrTuple);
  constructor(kernelSize: IntOrTuple, options: MaxUnpoolModuleOptions);
  constructor(options: MaxUnpoolModuleOptions & KernelSize);
  constructor(...args: unknown[]) {
    super(3, args);
  }
}
