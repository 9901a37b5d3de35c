import { bindArgs, kthvalue, rand, randLike, topk, zerosLike, type IndexSpec, type NormOrder, type Tensor } from '@descent/tensor';
import type { Module } from '../module.js';
import { BasePruningMethod, BUILTIN, type PruningType } from './prune-base.js';
import {
  computeNorm,
  computeNparamsToprune,
  sizeAlong,
  validatePruningAmount,
  validatePruningAmountInit,
  validatePruningDim,
  validateStructuredPruning,
} from './prune-amount.js';

/**
 * The pruning methods of `torch.nn.utils.prune`, each drawing what PyTorch draws: the random ones take
 * `torch.rand_like(t)` (unstructured) or `torch.rand(channels)` (structured) from the global generator, so
 * `torch.manualSeed(s)` prunes what PyTorch prunes. Constructors and `apply` take PyTorch's arguments by position
 * or in a trailing options object (`new L1Unstructured({ amount: 0.2 })`, as `globalUnstructured` builds them).
 */

const fn = (cls: string, method: string): string => `${cls}.${method}`;

export interface AmountOptions {
  amount?: number;
}

export interface ImportanceScoresOptions {
  importanceScores?: Tensor | null;
}

/** The mask `defaultMask` with the `count` entries of `scores` that `pick` chooses zeroed (none for 0). */
function zeroTopk(defaultMask: Tensor, scores: Tensor, count: number, largest: boolean): Tensor {
  const mask = defaultMask.clone();
  if (count !== 0) {
    const { indices } = topk(scores.view(-1), count, -1, largest);
    mask.view(-1).indexPut_([indices], 0);
  }
  return mask;
}

/** The number of units to prune out of `size`, checked. */
function unitsToPrune(amount: number, size: number): number {
  const count = computeNparamsToprune(amount, size);
  validatePruningAmount(count, size);
  return count;
}

/** Prunes nothing: a mask of ones, for the reparametrization alone. */
export class Identity extends BasePruningMethod {
  static override readonly PRUNING_TYPE: PruningType = 'unstructured';
  /** @internal */
  static override readonly [BUILTIN] = true;

  computeMask(_t: Tensor, defaultMask: Tensor): Tensor {
    return defaultMask;
  }

  static override apply(module: Module, name: string): BasePruningMethod {
    return super.apply(module, name);
  }
}

/** Prunes `amount` of the units not pruned yet, at random. */
export class RandomUnstructured extends BasePruningMethod {
  static override readonly PRUNING_TYPE: PruningType = 'unstructured';
  /** @internal */
  static override readonly [BUILTIN] = true;
  amount: number;

  constructor(...args: [amount: number] | [options: AmountOptions]) {
    super();
    const { amount } = bindArgs<AmountOptions>({ fn: fn('RandomUnstructured', '__init__'), required: ['amount'], positional: [] }, args);
    validatePruningAmountInit(amount);
    this.amount = amount;
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    const count = unitsToPrune(this.amount, t.numel());
    return count === 0 ? defaultMask.clone() : zeroTopk(defaultMask, randLike(t), count, true);
  }

  static override apply(module: Module, name: string, ...args: [amount: number] | [options: AmountOptions]): BasePruningMethod {
    const { amount } = bindArgs<AmountOptions>({ fn: fn('RandomUnstructured', 'apply'), required: ['amount'], positional: [] }, args);
    return super.apply(module, name, { amount });
  }
}

/** Prunes `amount` of the units not pruned yet, those of smallest magnitude. */
export class L1Unstructured extends BasePruningMethod {
  static override readonly PRUNING_TYPE: PruningType = 'unstructured';
  /** @internal */
  static override readonly [BUILTIN] = true;
  amount: number;

  constructor(...args: [amount: number] | [options: AmountOptions]) {
    super();
    const { amount } = bindArgs<AmountOptions>({ fn: fn('L1Unstructured', '__init__'), required: ['amount'], positional: [] }, args);
    validatePruningAmountInit(amount);
    this.amount = amount;
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    return zeroTopk(defaultMask, t.abs(), unitsToPrune(this.amount, t.numel()), false);
  }

  static override apply(
    module: Module,
    name: string,
    ...args: [amount: number, importanceScores?: Tensor | null] | [amount: number, options: ImportanceScoresOptions] | [options: AmountOptions & ImportanceScoresOptions]
  ): BasePruningMethod {
    const o = bindArgs<AmountOptions & ImportanceScoresOptions>(
      { fn: fn('L1Unstructured', 'apply'), required: ['amount'], positional: ['importanceScores'] },
      args,
    );
    return super.apply(module, name, { amount: o.amount, importanceScores: o.importanceScores ?? null });
  }
}

export interface StructuredOptions extends AmountOptions {
  dim?: number;
}

/** A mask of zeros with ones over the channels `channels` (a bool mask or indices) along `dim`. */
function channelMask(t: Tensor, dim: number, channels: Tensor): Tensor {
  const mask = zerosLike(t);
  const slc = t.shape.map((): IndexSpec | Tensor => ':');
  slc[dim < 0 ? dim + t.ndim : dim] = channels;
  mask.indexPut_(slc, 1);
  return mask;
}

/** Prunes `amount` of the channels along `dim` (default -1), at random. */
export class RandomStructured extends BasePruningMethod {
  static override readonly PRUNING_TYPE: PruningType = 'structured';
  /** @internal */
  static override readonly [BUILTIN] = true;
  amount: number;
  dim: number;

  constructor(...args: [amount: number, dim?: number] | [amount: number, options: StructuredOptions] | [options: StructuredOptions]) {
    super();
    const o = bindArgs<StructuredOptions>({ fn: fn('RandomStructured', '__init__'), required: ['amount'], positional: ['dim'] }, args);
    validatePruningAmountInit(o.amount);
    this.amount = o.amount;
    this.dim = o.dim ?? -1;
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    validateStructuredPruning(t);
    validatePruningDim(t, this.dim);
    const channels = sizeAlong(t, this.dim);
    const count = unitsToPrune(this.amount, channels);
    if (count === 0) return defaultMask;
    // PyTorch keeps the channels whose draw is above the count-th smallest.
    const prob = rand([channels]);
    const threshold = kthvalue(prob, count).values;
    return channelMask(t, this.dim, prob.gt(threshold)).mul_(defaultMask.to(t.dtype));
  }

  static override apply(
    module: Module,
    name: string,
    ...args: [amount: number, dim?: number] | [amount: number, options: StructuredOptions] | [options: StructuredOptions]
  ): BasePruningMethod {
    const o = bindArgs<StructuredOptions>({ fn: fn('RandomStructured', 'apply'), required: ['amount'], positional: ['dim'] }, args);
    return super.apply(module, name, { amount: o.amount, dim: o.dim ?? -1 });
  }
}

export interface LnStructuredOptions extends StructuredOptions {
  n?: NormOrder;
}

/** Prunes `amount` of the channels along `dim` (default -1), those of smallest L`n` norm. */
export class LnStructured extends BasePruningMethod {
  static override readonly PRUNING_TYPE: PruningType = 'structured';
  /** @internal */
  static override readonly [BUILTIN] = true;
  amount: number;
  n: NormOrder;
  dim: number;

  constructor(
    ...args:
      | [amount: number, n: NormOrder, dim?: number]
      | [amount: number, n: NormOrder, options: LnStructuredOptions]
      | [amount: number, options: LnStructuredOptions]
      | [options: LnStructuredOptions]
  ) {
    super();
    const o = bindArgs<LnStructuredOptions>({ fn: fn('LnStructured', '__init__'), required: ['amount', 'n'], positional: ['dim'] }, args);
    validatePruningAmountInit(o.amount);
    this.amount = o.amount;
    this.n = o.n as NormOrder;
    this.dim = o.dim ?? -1;
  }

  computeMask(t: Tensor, defaultMask: Tensor): Tensor {
    validateStructuredPruning(t);
    validatePruningDim(t, this.dim);
    const channels = sizeAlong(t, this.dim);
    const count = unitsToPrune(this.amount, channels);
    // The norm is taken (and so checked) even when nothing is pruned, as in PyTorch.
    const { indices } = topk(computeNorm(t, this.n, this.dim), channels - count, -1, true);
    if (count === 0) return defaultMask;
    return channelMask(t, this.dim, indices).mul_(defaultMask.to(t.dtype));
  }

  static override apply(
    module: Module,
    name: string,
    ...args:
      | [amount: number, n: NormOrder, dim: number, importanceScores?: Tensor | null]
      | [amount: number, n: NormOrder, dim: number, options: ImportanceScoresOptions]
      | [options: LnStructuredOptions & ImportanceScoresOptions]
  ): BasePruningMethod {
    const o = bindArgs<LnStructuredOptions & ImportanceScoresOptions>(
      { fn: fn('LnStructured', 'apply'), required: ['amount', 'n', 'dim'], positional: ['importanceScores'] },
      args,
    );
    return super.apply(module, name, { amount: o.amount, n: o.n, dim: o.dim, importanceScores: o.importanceScores ?? null });
  }
}

/** Prunes with a mask given in advance, on top of earlier masks. */
export class CustomFromMask extends BasePruningMethod {
  static override readonly PRUNING_TYPE: PruningType = 'global';
  /** @internal */
  static override readonly [BUILTIN] = true;
  mask: Tensor;

  constructor(...args: [mask: Tensor] | [options: { mask?: Tensor }]) {
    super();
    this.mask = bindArgs<{ mask: Tensor }>({ fn: fn('CustomFromMask', '__init__'), required: ['mask'], positional: [] }, args).mask;
  }

  computeMask(_t: Tensor, defaultMask: Tensor): Tensor {
    if (defaultMask.shape.join() !== this.mask.shape.join()) throw new Error('AssertionError'); // PyTorch's bare assert
    return defaultMask.mul(this.mask.to(defaultMask.dtype));
  }

  static override apply(module: Module, name: string, ...args: [mask: Tensor] | [options: { mask?: Tensor }]): BasePruningMethod {
    const { mask } = bindArgs<{ mask: Tensor }>({ fn: fn('CustomFromMask', 'apply'), required: ['mask'], positional: [] }, args);
    return super.apply(module, name, { mask });
  }
}
