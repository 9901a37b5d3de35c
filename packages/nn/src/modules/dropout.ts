import type { Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { Module } from '../module.js';
import { dropout, dropout1d, dropout2d, dropout3d } from '../functional/dropout.js';
import { alphaDropout, featureAlphaDropout } from '../functional/alpha-dropout.js';
import { pyBool, pyFloat } from '../python-repr.js';

export interface DropoutModuleOptions {
  p?: number;
  inplace?: boolean;
}

/** After the class name: `(p, inplace)` by position, in the options object, or both (`(0.2, { inplace: true })`). */
export type DropoutModuleArgs = ArgsThenOptions<[p: number, inplace: boolean], DropoutModuleOptions>;

/** PyTorch's `_DropoutNd`: the probability check, the attributes and the printing every dropout layer shares. */
abstract class DropoutNd extends Module {
  p: number;
  inplace: boolean;

  constructor(args: readonly unknown[]) {
    super();
    const o = bindArgs<DropoutModuleOptions>({ fn: this._getName(), required: 0, positional: ['p', 'inplace'] }, args);
    const p = o.p ?? 0.5;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
    this.p = p;
    this.inplace = o.inplace ?? false;
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyBool(this.inplace)}`;
  }
}

/**
 * Zeroes elements with probability `p` in training mode (PyTorch's exact mask for the same seed) and scales the
 * rest by `1 / (1 - p)`; passes input through in evaluation mode. As `nn.Dropout(p=0.5, inplace=False)`.
 */
export class Dropout extends DropoutNd {
  constructor(...args: DropoutModuleArgs) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of `[N, C, L]` or `[C, L]` input, as `nn.Dropout1d(p=0.5, inplace=False)`. */
export class Dropout1d extends DropoutNd {
  constructor(...args: DropoutModuleArgs) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return dropout1d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of `[N, C, H, W]` input, as `nn.Dropout2d(p=0.5, inplace=False)` (3-D input is read as `[N, C, L]`, as in PyTorch 1.13). */
export class Dropout2d extends DropoutNd {
  constructor(...args: DropoutModuleArgs) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training, this.inplace);
  }
}

/** Zeroes whole channels of `[N, C, D, H, W]` or `[C, D, H, W]` input, as `nn.Dropout3d(p=0.5, inplace=False)`. */
export class Dropout3d extends DropoutNd {
  constructor(...args: DropoutModuleArgs) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return dropout3d(input, this.p, this.training, this.inplace);
  }
}

/** Dropout that keeps SELU's self-normalization (mean and variance), as `nn.AlphaDropout(p=0.5, inplace=False)`. */
export class AlphaDropout extends DropoutNd {
  constructor(...args: DropoutModuleArgs) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return alphaDropout(input, this.p, this.training, this.inplace);
  }
}

/** Alpha dropout of whole channels of `[N, C, *]` input, as `nn.FeatureAlphaDropout(p=0.5, inplace=False)`. */
export class FeatureAlphaDropout extends DropoutNd {
  constructor(...args: DropoutModuleArgs) {
    super(args);
  }

  override forward(input: Tensor): Tensor {
    return featureAlphaDropout(input, this.p, this.training, this.inplace);
  }
}
