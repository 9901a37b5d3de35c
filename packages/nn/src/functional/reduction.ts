import type { Tensor } from '@descent/tensor';

/** How a loss combines its elementwise values: PyTorch's `reduction` argument. */
export type Reduction = 'none' | 'mean' | 'sum';

export interface ReductionOption {
  /** 'mean' (the default) averages, 'sum' adds, 'none' keeps one value per element. */
  reduction?: Reduction;
}

/** The reduction to use, rejecting unknown ones with PyTorch's message. */
export function checkReduction(reduction: Reduction | undefined): Reduction {
  const r = reduction ?? 'mean';
  if (r !== 'none' && r !== 'mean' && r !== 'sum') throw new Error(`${String(r)} is not a valid value for reduction`);
  return r;
}

export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  return loss;
}
