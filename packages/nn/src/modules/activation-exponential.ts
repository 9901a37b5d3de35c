import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import * as F from '../functional/exponential-activations.js';
import type { EluOptions, SoftplusOptions } from '../functional/exponential-activations.js';
import type { InplaceOption } from '../functional/activation.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { pyFloat } from '../python-repr.js';
import { inplaceArg, inplaceRepr } from './activation.js';

const alphaRepr = (alpha: number, inplace: boolean): string => `alpha=${pyFloat(alpha)}${inplace ? ', inplace=True' : ''}`;

/** `x` above 0, `alpha * (exp(x) - 1)` elsewhere, as `nn.ELU(alpha=1.0, inplace=False)`. */
export class ELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[alpha: number, inplace: boolean], EluOptions>) {
    super();
    const o = bindArgs<EluOptions>({ fn: 'ELU', required: 0, positional: ['alpha', 'inplace'] }, args);
    this.alpha = o.alpha ?? 1;
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return F.elu(input, this.alpha, this.inplace);
  }

  override extraRepr(): string {
    return alphaRepr(this.alpha, this.inplace);
  }
}

/** Scaled ELU with fixed constants (self-normalizing networks), as `nn.SELU(inplace=False)`. */
export class SELU extends Module {
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[inplace: boolean], InplaceOption>) {
    super();
    this.inplace = inplaceArg('SELU', args);
  }

  override forward(input: Tensor): Tensor {
    return F.selu(input, this.inplace);
  }

  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`, as `nn.CELU(alpha=1.0, inplace=False)`. */
export class CELU extends Module {
  readonly alpha: number;
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[alpha: number, inplace: boolean], EluOptions>) {
    super();
    const o = bindArgs<EluOptions>({ fn: 'CELU', required: 0, positional: ['alpha', 'inplace'] }, args);
    this.alpha = o.alpha ?? 1;
    this.inplace = o.inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return F.celu(input, this.alpha, this.inplace);
  }

  override extraRepr(): string {
    return alphaRepr(this.alpha, this.inplace);
  }
}

/** `log(1 + exp(beta x)) / beta`, linear past `threshold`, as `nn.Softplus(beta=1, threshold=20)`. */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  constructor(...args: ArgsThenOptions<[beta: number, threshold: number], SoftplusOptions>) {
    super();
    const o = bindArgs<SoftplusOptions>({ fn: 'Softplus', required: 0, positional: ['beta', 'threshold'] }, args);
    this.beta = o.beta ?? 1;
    this.threshold = o.threshold ?? 20;
  }

  override forward(input: Tensor): Tensor {
    return F.softplus(input, this.beta, this.threshold);
  }

  // PyTorch's defaults are ints (`beta=1, threshold=20`); JavaScript numbers print the same way.
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** `x * tanh(softplus(x))`, as `nn.Mish(inplace=False)`. */
export class Mish extends Module {
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[inplace: boolean], InplaceOption>) {
    super();
    this.inplace = inplaceArg('Mish', args);
  }

  override forward(input: Tensor): Tensor {
    return F.mish(input, this.inplace);
  }

  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** `log(sigmoid(x))`, computed stably, as `nn.LogSigmoid`. */
export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return F.logsigmoid(input);
  }
}
