import type { Tensor } from '@descent/tensor';
import { bindArgs, checkOptionKeys } from '@descent/tensor';
import { Module } from '../module.js';
import { pyTuple } from '../python-repr.js';

/** Flattens dims `startDim..endDim` into one, as `nn.Flatten` (by default everything but the batch dim). */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim: number | { startDim?: number; endDim?: number } = 1, endDim = -1) {
    super();
    // `nn.Flatten(start_dim=2)` written `new nn.Flatten({ startDim: 2 })`.
    if (typeof startDim === 'object') checkOptionKeys('Flatten.__init__', startDim, ['startDim', 'endDim']);
    this.startDim = typeof startDim === 'object' ? (startDim.startDim ?? 1) : startDim;
    this.endDim = typeof startDim === 'object' ? (startDim.endDim ?? -1) : endDim;
  }

  override forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Splits dim `dim` into `unflattenedSize` (one entry may be -1), as `nn.Unflatten(dim, unflattened_size)`. */
export class Unflatten extends Module {
  readonly unflattenedSize: number[];

  readonly dim: number;

  constructor(dim: number, unflattenedSize: readonly number[]);
  /** By keyword too: `new nn.Unflatten({ dim: 1, unflattenedSize: [2, 3] })`. */
  constructor(dim: number, options: { unflattenedSize: readonly number[] });
  constructor(options: { dim: number; unflattenedSize: readonly number[] });
  constructor(...args: unknown[]) {
    super();
    const o = bindArgs<{ dim: number; unflattenedSize: readonly number[] }>({ fn: 'Unflatten.__init__', required: ['dim', 'unflattenedSize'], positional: [] }, args);
    this.dim = o.dim;
    this.unflattenedSize = [...o.unflattenedSize];
  }

  override forward(input: Tensor): Tensor {
    const d = this.dim < 0 ? this.dim + input.ndim : this.dim;
    const size = input.shape[d];
    const sizes = this.unflattenedSize;
    const known = sizes.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const inferred = sizes.includes(-1) ? size / known : known;
    if (!Number.isInteger(inferred) || (sizes.includes(-1) ? false : known !== size)) {
      throw new RangeError(`unflatten: Provided sizes [${sizes.join(', ')}] don't multiply up to the size of dim ${this.dim} (${size}) in the input tensor`);
    }
    const resolved = sizes.map((s) => (s === -1 ? inferred : s));
    return input.reshape([...input.shape.slice(0, d), ...resolved, ...input.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}
