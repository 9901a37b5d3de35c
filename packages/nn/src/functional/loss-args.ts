import { bindArgs } from '@descent/tensor';
import { warnOnce } from '../py-warnings.js';
import type { Reduction, ReductionOption } from './reduction.js';

/**
 * PyTorch's deprecated `size_average` and `reduce`, which the older losses take by position before `reduction`
 * (`F.smooth_l1_loss(input, target, None, None, 'mean', 1.0)`, `nn.CrossEntropyLoss(w, None, -100)`).
 */
export interface LegacyReductionOptions extends ReductionOption {
  /** Deprecated: use `reduction`. `null` (PyTorch's None, the default) leaves `reduction` in charge. */
  sizeAverage?: boolean | null;
  /** Deprecated: use `reduction`. `null` (PyTorch's None, the default) leaves `reduction` in charge. */
  reduce?: boolean | null;
}

/** Where most losses take them, last: `[...before, sizeAverage, reduce, reduction]`. */
export type LegacyReductionArgs = [sizeAverage: boolean | null, reduce: boolean | null, reduction: Reduction];
export const LEGACY_REDUCTION = ['sizeAverage', 'reduce', 'reduction'] as const;

/**
 * The reduction the deprecated flags ask for, as PyTorch's `_Reduction.legacy_get_string` (with its warning), or
 * undefined when both are null or absent and `reduction` decides. A null flag counts as true: both true is 'mean',
 * `reduce` alone 'sum', `reduce` false 'none'.
 */
export function legacyReduction(sizeAverage: boolean | null | undefined, reduce: boolean | null | undefined): Reduction | undefined {
  if (sizeAverage == null && reduce == null) return undefined;
  const reduced = reduce ?? true;
  const reduction = (sizeAverage ?? true) && reduced ? 'mean' : reduced ? 'sum' : 'none';
  warnOnce(`size_average and reduce args will be deprecated, please use reduction='${reduction}' instead.`);
  return reduction;
}

/**
 * A loss's optional arguments bound as Python binds them (`bindArgs`: `positional` in PyTorch's order, then an
 * options object), with `sizeAverage` and `reduce` folded into `reduction` as PyTorch does.
 */
export function bindLossArgs<O extends { reduction?: string }>(fn: string, required: number, positional: readonly string[], args: readonly unknown[]): O {
  const { sizeAverage, reduce, ...options } = bindArgs<O & LegacyReductionOptions>({ fn, required, positional }, args);
  const legacy = legacyReduction(sizeAverage, reduce);
  return (legacy === undefined ? options : { ...options, reduction: legacy }) as O;
}
