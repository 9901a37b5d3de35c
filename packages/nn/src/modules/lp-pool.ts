import type { Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { lpPool1d, lpPool2d, type LpPoolOptions, type LpPoolSizes } from '../functional/lp-pool.js';
import type { IntOrTuple } from '../functional/conv-args.js';
import { pyBool, pyTuple } from '../python-repr.js';

/** An int or a tuple (or None) as Python prints the value the layer was given. */
const pyValue = (v: IntOrTuple | null): string => (v === null ? 'None' : typeof v === 'number' ? String(v) : pyTuple(v));

/** PyTorch's `_LPPoolNd(norm_type, kernel_size, stride=None, ceil_mode=False)`: it prints its arguments as given. */
abstract class LPPoolNd extends Module {
  readonly normType: number;
  readonly kernelSize: IntOrTuple;
  readonly stride: IntOrTuple | null;
  readonly ceilMode: boolean;

  constructor(args: unknown[]) {
    super();
    const o = bindArgs<LpPoolSizes & LpPoolOptions>({ fn: `${this._getName()}.__init__`, required: ['normType', 'kernelSize'], positional: ['stride', 'ceilMode'] }, args);
    this.normType = o.normType;
    this.kernelSize = o.kernelSize;
    this.stride = o.stride ?? null;
    this.ceilMode = o.ceilMode ?? false;
  }

  override extraRepr(): string {
    return `norm_type=${this.normType}, kernel_size=${pyValue(this.kernelSize)}, stride=${pyValue(this.stride)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/** `nn.LPPool1d(norm_type, kernel_size, stride=None, ceil_mode=False)`: the p-norm of each window. */
export class LPPool1d extends LPPoolNd {
  constructor(normType: number, kernelSize: IntOrTuple, stride?: IntOrTuple | null, ceilMode?: boolean);
  constructor(normType: number, kernelSize: IntOrTuple, options: LpPoolOptions);
  constructor(options: LpPoolOptions & LpPoolSizes);
  constructor(...args: unknown[]) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return lpPool1d(input, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode });
  }
}

/** `nn.LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False)`: the p-norm of each window. */
export class LPPool2d extends LPPoolNd {
  constructor(normType: number, kernelSize: IntOrTuple, stride?: IntOrTuple | null, ceilMode?: boolean);
  constructor(normType: number, kernelSize: IntOrTuple, options: LpPoolOptions);
  constructor(options: LpPoolOptions & LpPoolSizes);
  constructor(...args: unknown[]) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return lpPool2d(input, this.normType, this.kernelSize, { stride: this.stride, ceilMode: this.ceilMode });
  }
}
