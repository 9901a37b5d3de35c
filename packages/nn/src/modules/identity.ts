import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';

/** Returns its input unchanged, as `nn.Identity` (constructor arguments are ignored, as in PyTorch). */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return input;
  }
}
