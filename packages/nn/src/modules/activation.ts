import { checkOptionKeys, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import * as F from '../functional/activation.js';
import type { InplaceOption, LeakyReluOptions } from '../functional/activation.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { pyFloat, pyString } from '../python-repr.js';

export const inplaceRepr = (inplace: boolean): string => (inplace ? 'inplace=True' : '');

/** `inplace` by position or in the options object: `new nn.ReLU(true)`, `new nn.ReLU({ inplace: true })`. */
export const inplaceArg = (fn: string, args: readonly unknown[]): boolean =>
  bindArgs<InplaceOption>({ fn, required: 0, positional: ['inplace'] }, args).inplace ?? false;

/** `max(0, x)`, as `nn.ReLU`. */
export class ReLU extends Module {
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[inplace: boolean], InplaceOption>) {
    super();
    this.inplace = inplaceArg('ReLU', args);
  }

  override forward(input: Tensor): Tensor {
    return F.relu(input, this.inplace);
  }

  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** `x` for positive values, `negativeSlope * x` otherwise, as `nn.LeakyReLU`. */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  readonly inplace: boolean;

  /** `nn.LeakyReLU(negative_slope=0.01, inplace=False)`: `new nn.LeakyReLU(0.2, { inplace: true })`. */
  constructor(...args: ArgsThenOptions<[negativeSlope: number, inplace: boolean], LeakyReluOptions>) {
    super();
    const o = bindArgs<LeakyReluOptions>({ fn: 'LeakyReLU', required: 0, positional: ['negativeSlope', 'inplace'] }, args);
    this.negativeSlope = o.negativeSlope ?? 0.01;
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return F.leakyRelu(input, this.negativeSlope, this.inplace);
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.sigmoid(input);
  }
}

export class Tanh extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanh(input);
  }
}

/** Gaussian error linear unit, exact (erf) or with `approximate = 'tanh'`, as `nn.GELU`. */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(approximate: 'none' | 'tanh' = 'none') {
    super();
    this.approximate = approximate;
  }

  override forward(input: Tensor): Tensor {
    return F.gelu(input, this.approximate);
  }

  override extraRepr(): string {
    return `approximate=${pyString(this.approximate)}`;
  }
}

/** `x * sigmoid(x)`, as `nn.SiLU`. */
export class SiLU extends Module {
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[inplace: boolean], InplaceOption>) {
    super();
    this.inplace = inplaceArg('SiLU', args);
  }

  override forward(input: Tensor): Tensor {
    return F.silu(input, this.inplace);
  }

  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** A module's `dim`, positional or as a keyword (`nn.Softmax(dim=1)` written `new nn.Softmax({ dim: 1 })`). */
export function dimArgument(name: string, dim: number | null | { dim?: number | null }): number | null {
  if (dim === null || typeof dim === 'number') return dim;
  checkOptionKeys(`${name}.__init__`, dim, ['dim']);
  return dim.dim ?? null;
}

/** Softmax along `dim` (null picks PyTorch's legacy implicit dim). */
export class Softmax extends Module {
  readonly dim: number | null;

  constructor(dim: number | null | { dim?: number | null } = null) {
    super();
    this.dim = dimArgument('Softmax', dim);
  }

  override forward(input: Tensor): Tensor {
    return F.softmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** Log of softmax along `dim`, computed stably. */
export class LogSoftmax extends Module {
  readonly dim: number | null;

  constructor(dim: number | null | { dim?: number | null } = null) {
    super();
    this.dim = dimArgument('LogSoftmax', dim);
  }

  override forward(input: Tensor): Tensor {
    return F.logSoftmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}
