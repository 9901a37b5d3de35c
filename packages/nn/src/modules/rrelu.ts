import type { Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { rrelu } from '../functional/rrelu.js';
import { pyFloat } from '../python-repr.js';

export interface RReLUOptions {
  lower?: number;
  upper?: number;
  inplace?: boolean;
}

/**
 * Randomized leaky ReLU, as `nn.RReLU(lower=1/8, upper=1/3, inplace=False)`: in training each non-positive element's
 * slope is drawn from U(lower, upper) (PyTorch's draws for the same seed); in evaluation it is `(lower + upper) / 2`.
 */
export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly inplace: boolean;

  constructor(lower?: number, upper?: number, inplace?: boolean);
  constructor(lower: number, upper: number, options: Pick<RReLUOptions, 'inplace'>);
  constructor(options: RReLUOptions);
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<RReLUOptions>({ fn: 'RReLU.__init__', required: 0, positional: ['lower', 'upper', 'inplace'] }, args);
    this.lower = o.lower ?? 1 / 8;
    this.upper = o.upper ?? 1 / 3;
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return rrelu(input, this.lower, this.upper, this.training, this.inplace);
  }

  override extraRepr(): string {
    return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${this.inplace ? ', inplace=True' : ''}`;
  }
}
