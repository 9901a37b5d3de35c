import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { checkReduction, type Reduction, type ReductionOption } from '../functional/reduction.js';

/** The base of the loss modules: `loss(input, target)` with a `reduction`, as PyTorch's `_Loss`. */
export abstract class Loss extends Module {
  reduction: Reduction;

  constructor(options: ReductionOption = {}) {
    super();
    this.reduction = checkReduction(options.reduction);
  }

  // The losses' `forward(input, target, ..._extra: never[])` takes no more arguments, yet lets a subclass add its own
  // in TypeScript, as d2l's `MaskedSoftmaxCELoss(nn.CrossEntropyLoss)` adds `valid_len`.
  abstract override forward(input: Tensor, target: Tensor, ...rest: Tensor[]): Tensor;
}

/** A loss with an optional per-class `weight`, kept as a buffer (in the state dict when set), as PyTorch's. */
export abstract class WeightedLoss extends Loss {
  declare readonly weight: Tensor | null;

  constructor(options: ReductionOption & { weight?: Tensor | null } = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
  }
}
