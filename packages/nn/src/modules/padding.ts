import { bindArgs, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { pad, type PadMode } from '../functional/pad.js';
import { pyTuple } from '../python-repr.js';

/** A padding given as one int (every side) or one amount per side, `(left, right[, top, bottom])`. */
export type PaddingArg = number | readonly number[];

/** PyTorch's `_ntuple`: an int repeated for each side; a sequence kept as is (its length checked). */
function sides(name: string, padding: PaddingArg, count: number): number[] {
  if (typeof padding === 'number') return Array.from({ length: count }, () => padding);
  if (padding.length !== count) throw new RangeError(`${name}: padding must be an int or a sequence of ${count} ints, got ${pyTuple([...padding])}`);
  return [...padding];
}

/** A padding layer's arguments by keyword: `{ padding: 1 }`, `{ padding: [1, 2], value: 3.5 }` for the constant pads. */
export interface PaddingOptions {
  padding: PaddingArg;
}

/** What every padding layer shares: `F.pad(input, padding, mode, value)`. */
abstract class PadNd extends Module {
  readonly padding: number[];

  /** The constant pads' `value`; 0 for the others. */
  readonly value: number;

  /** `padding` (and the constant pads' `value`) by position or by keyword: `nn.ZeroPad2d(padding=1)`. */
  constructor(args: unknown[], dims: 1 | 2, readonly mode: PadMode, constant = false) {
    super();
    const spec = { fn: `${this._getName()}.__init__`, required: constant ? ['padding', 'value'] : ['padding'], positional: [] };
    const o = bindArgs<PaddingOptions & { value?: number }>(spec, args);
    this.padding = sides(this._getName(), o.padding, 2 * dims);
    this.value = o.value ?? 0;
  }

  override forward(input: Tensor): Tensor {
    return pad(input, this.padding, this.mode, this.value);
  }

  override extraRepr(): string {
    return pyTuple(this.padding);
  }
}

/** Pads with a constant `value`, as `nn.ConstantPad1d(padding, value)`. */
export class ConstantPad1d extends PadNd {
  constructor(padding: PaddingArg, value: number);
  constructor(padding: PaddingArg, options: { value: number });
  constructor(options: PaddingOptions & { value: number });
  constructor(...args: unknown[]) {
    super(args, 1, 'constant', true);
  }

  // Python prints the value as given: `value=3.5`, or `value=0` for an int.
  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${this.value}`;
  }
}

/** Pads the last two dims with a constant `value`, as `nn.ConstantPad2d(padding, value)`. */
export class ConstantPad2d extends PadNd {
  constructor(padding: PaddingArg, value: number);
  constructor(padding: PaddingArg, options: { value: number });
  constructor(options: PaddingOptions & { value: number });
  constructor(...args: unknown[]) {
    super(args, 2, 'constant', true);
  }

  override extraRepr(): string {
    return `padding=${pyTuple(this.padding)}, value=${this.value}`;
  }
}

/** Pads the last two dims with zeros, as `nn.ZeroPad2d(padding)` (printed as its padding alone). */
export class ZeroPad2d extends PadNd {
  constructor(padding: PaddingArg);
  constructor(options: PaddingOptions);
  constructor(...args: unknown[]) {
    super(args, 2, 'constant');
  }
}

/** Mirrors the input at its edges (without repeating them), as `nn.ReflectionPad1d(padding)`. */
export class ReflectionPad1d extends PadNd {
  constructor(padding: PaddingArg);
  constructor(options: PaddingOptions);
  constructor(...args: unknown[]) {
    super(args, 1, 'reflect');
  }
}

export class ReflectionPad2d extends PadNd {
  constructor(padding: PaddingArg);
  constructor(options: PaddingOptions);
  constructor(...args: unknown[]) {
    super(args, 2, 'reflect');
  }
}

/** Repeats the edge values, as `nn.ReplicationPad1d(padding)`. */
export class ReplicationPad1d extends PadNd {
  constructor(padding: PaddingArg);
  constructor(options: PaddingOptions);
  constructor(...args: unknown[]) {
    super(args, 1, 'replicate');
  }
}

export class ReplicationPad2d extends PadNd {
  constructor(padding: PaddingArg);
  constructor(options: PaddingOptions);
  constructor(...args: unknown[]) {
    super(args, 2, 'replicate');
  }
}
