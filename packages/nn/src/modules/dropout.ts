import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { dropout } from '../functional/dropout.js';
import { pyBool, pyFloat } from '../python-repr.js';

/**
 * Zeroes elements with probability `p` in training mode (PyTorch's exact mask for the same seed) and scales the
 * rest by `1 / (1 - p)`; passes input through in evaluation mode. As `nn.Dropout`.
 */
export class Dropout extends Module {
  readonly p: number;
  readonly inplace: boolean;

  constructor(p = 0.5, inplace = false) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = inplace;
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.inplace);
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}
