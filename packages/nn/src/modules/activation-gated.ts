import { empty, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { constant_ } from '../init.js';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { dimArgument } from './activation.js';
import { glu, prelu, softmax2d, softmin } from '../functional/gated-activations.js';

/** The first half of `input` along `dim` gated by the sigmoid of the second, as `nn.GLU(dim=-1)`. */
export class GLU extends Module {
  constructor(readonly dim = -1) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return glu(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export interface PReLUOptions {
  numParameters?: number;
  init?: number;
  device?: DeviceLike;
  dtype?: DType;
}

/**
 * Leaky ReLU with a learned slope (one, or one per channel), as `nn.PReLU(num_parameters=1, init=0.25)`; its
 * `weight` starts at `init` everywhere (no random draw, as PyTorch's reset_parameters).
 */
export class PReLU extends Module {
  readonly numParameters: number;
  readonly init: number;
  weight: Parameter;

  constructor(...args: ArgsThenOptions<[numParameters: number, init: number], PReLUOptions>) {
    super();
    const o = bindArgs<PReLUOptions>({ fn: 'PReLU', required: 0, positional: ['numParameters', 'init'], keywordOnly: ['device', 'dtype'] }, args);
    this.numParameters = o.numParameters ?? 1;
    this.init = o.init ?? 0.25;
    this.weight = new Parameter(empty([this.numParameters], { device: o.device, dtype: o.dtype }));
    this.resetParameters();
  }

  resetParameters(): void {
    constant_(this.weight, this.init);
  }

  override forward(input: Tensor): Tensor {
    return prelu(input, this.weight);
  }

  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** `softmax(-x)` along `dim`, as `nn.Softmin(dim=None)`. */
export class Softmin extends Module {
  readonly dim: number | null;

  constructor(dim: number | null | { dim?: number | null } = null) {
    super();
    this.dim = dimArgument('Softmin', dim);
  }

  override forward(input: Tensor): Tensor {
    return softmin(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** Softmax over the channels at each location of a `[C, H, W]` or `[N, C, H, W]` input, as `nn.Softmax2d`. */
export class Softmax2d extends Module {
  override forward(input: Tensor): Tensor {
    return softmax2d(input);
  }
}
