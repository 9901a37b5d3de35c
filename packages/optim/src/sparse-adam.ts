import type { ArgsThenOptions, Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions } from './options.js';
import { checkBetas } from './validate.js';

export interface SparseAdamHyperparameters {
  lr: number;
  betas: [number, number];
  eps: number;
  maximize: boolean;
}

export type SparseAdamOptions = Partial<SparseAdamHyperparameters>;

export interface SparseAdamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * `torch.optim.SparseAdam`: the lazy Adam for sparse gradients, with PyTorch 1.13's defaults (lr 1e-3, betas
 * [0.9, 0.999], eps 1e-8), checks, groups and state dict. Descent's tensors are all dense, and PyTorch's SparseAdam
 * refuses a dense gradient, so `step()` raises PyTorch's error for any parameter with a gradient: use Adam.
 */
export class SparseAdam extends Optimizer<SparseAdamHyperparameters, SparseAdamState> {
  constructor(
    params: ParamsInput<SparseAdamHyperparameters>,
    ...args: ArgsThenOptions<[lr: number, betas: [number, number], eps: number, maximize: boolean], SparseAdamOptions>
  ) {
    const given = optimizerOptions<SparseAdamOptions>('SparseAdam', args, ['lr', 'betas', 'eps', 'maximize']);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, maximize = false } = given;
    // Unlike the other optimizers, zero is refused too.
    if (typeof lr !== 'number' || !(lr > 0)) throw new RangeError(`Invalid learning rate: ${lr}`);
    if (typeof eps !== 'number' || !(eps > 0)) throw new RangeError(`Invalid epsilon value: ${eps}`);
    checkBetas(betas);
    super(params, { lr, betas, eps, maximize });
  }

  protected override stepGroup(group: ParamGroup<SparseAdamHyperparameters>): void {
    for (const param of group.params) {
      if (param.grad !== null) throw new Error('SparseAdam does not support dense gradients, please consider Adam instead');
    }
  }
}
