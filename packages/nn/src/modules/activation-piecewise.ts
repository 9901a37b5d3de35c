import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import * as F from '../functional/piecewise-activations.js';
import type { HardtanhOptions, LambdOption } from '../functional/piecewise-activations.js';
import type { InplaceOption } from '../functional/activation.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { pyFloat } from '../python-repr.js';
import { inplaceArg, inplaceRepr } from './activation.js';

/** `x` clamped to [minVal, maxVal], as `nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)`. */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[minVal: number, maxVal: number, inplace: boolean], HardtanhOptions>) {
    super();
    const o = bindArgs<HardtanhOptions>({ fn: this._getName(), required: 0, positional: ['minVal', 'maxVal', 'inplace'] }, args);
    this.minVal = o.minVal ?? -1;
    this.maxVal = o.maxVal ?? 1;
    this.inplace = o.inplace ?? false;
    // PyTorch asserts this (an AssertionError with no message).
    if (!(this.maxVal > this.minVal)) throw new RangeError(`Hardtanh: max_val (${this.maxVal}) must be greater than min_val (${this.minVal})`);
  }

  override forward(input: Tensor): Tensor {
    return F.hardtanh(input, this.minVal, this.maxVal, this.inplace);
  }

  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${this.inplace ? ', inplace=True' : ''}`;
  }
}

/** `min(max(0, x), 6)`, as `nn.ReLU6(inplace=False)` (a Hardtanh from 0 to 6, as in PyTorch). */
export class ReLU6 extends Hardtanh {
  constructor(...args: ArgsThenOptions<[inplace: boolean], InplaceOption>) {
    super(0, 6, inplaceArg('ReLU6', args));
  }

  override extraRepr(): string {
    return inplaceRepr(this.inplace);
  }
}

/** `relu6(x + 3) / 6`, as `nn.Hardsigmoid(inplace=False)` (PyTorch prints no arguments). */
export class Hardsigmoid extends Module {
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[inplace: boolean], InplaceOption>) {
    super();
    this.inplace = inplaceArg('Hardsigmoid', args);
  }

  override forward(input: Tensor): Tensor {
    return F.hardsigmoid(input, this.inplace);
  }
}

/** `x * relu6(x + 3) / 6`, as `nn.Hardswish(inplace=False)` (PyTorch prints no arguments). */
export class Hardswish extends Module {
  readonly inplace: boolean;

  constructor(...args: ArgsThenOptions<[inplace: boolean], InplaceOption>) {
    super();
    this.inplace = inplaceArg('Hardswish', args);
  }

  override forward(input: Tensor): Tensor {
    return F.hardswish(input, this.inplace);
  }
}

const lambdArg = (fn: string, args: readonly unknown[]): number =>
  bindArgs<LambdOption>({ fn, required: 0, positional: ['lambd'] }, args).lambd ?? 0.5;

/** Shrinks toward 0 by `lambd`, as `nn.Softshrink(lambd=0.5)`. */
export class Softshrink extends Module {
  readonly lambd: number;

  constructor(...args: ArgsThenOptions<[lambd: number], LambdOption>) {
    super();
    this.lambd = lambdArg('Softshrink', args);
  }

  override forward(input: Tensor): Tensor {
    return F.softshrink(input, this.lambd);
  }

  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** Zeroes values within `lambd` of 0, as `nn.Hardshrink(lambd=0.5)`. */
export class Hardshrink extends Module {
  readonly lambd: number;

  constructor(...args: ArgsThenOptions<[lambd: number], LambdOption>) {
    super();
    this.lambd = lambdArg('Hardshrink', args);
  }

  override forward(input: Tensor): Tensor {
    return F.hardshrink(input, this.lambd);
  }

  override extraRepr(): string {
    return pyFloat(this.lambd);
  }
}

/** `x - tanh(x)`, as `nn.Tanhshrink`. */
export class Tanhshrink extends Module {
  override forward(input: Tensor): Tensor {
    return F.tanhshrink(input);
  }
}

/** `x / (1 + |x|)`, as `nn.Softsign`. */
export class Softsign extends Module {
  override forward(input: Tensor): Tensor {
    return F.softsign(input);
  }
}

/** `x` above `threshold`, else `value`, as `nn.Threshold(threshold, value, inplace=False)`. */
export class Threshold extends Module {
  readonly inplace: boolean;

  constructor(
    readonly threshold: number,
    readonly value: number,
    ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>
  ) {
    super();
    this.inplace = bindArgs<InplaceOption>({ fn: 'Threshold', required: 2, positional: ['inplace'] }, args).inplace ?? false;
  }

  override forward(input: Tensor): Tensor {
    return F.threshold(input, this.threshold, this.value, this.inplace);
  }

  // Python prints the numbers as given: `nn.Threshold(0.1, 20)` shows `value=20` (JavaScript cannot tell 20.0).
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}${this.inplace ? ', inplace=True' : ''}`;
  }
}
