import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { adamUpdate, initialAdamState, restoreAdamState, type AdamHyperparameters, type AdamState } from './adam-update.js';
import { checkBetas, checkNonNegative } from './validate.js';

export type AdamWOptions = Partial<AdamHyperparameters>;

/**
 * Adam with decoupled weight decay (the parameter shrinks by `1 - lr * weightDecay` each step), as
 * `torch.optim.AdamW` (PyTorch 1.13's single-tensor algorithm). Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weightDecay 1e-2.
 */
export class AdamW extends Optimizer<AdamHyperparameters, AdamState> {
  constructor(params: ParamsInput<AdamHyperparameters>, options: AdamWOptions = {}) {
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 1e-2, amsgrad = false, maximize = false } = options;
    checkNonNegative('learning rate', lr);
    checkNonNegative('epsilon value', eps);
    checkBetas(betas);
    checkNonNegative('weight_decay value', weightDecay);
    super(params, { lr, betas, eps, weightDecay, amsgrad, maximize });
  }

  protected override stepGroup(group: ParamGroup<AdamHyperparameters>): void {
    for (const param of group.params) {
      if (param.grad === null) continue;
      let state = this.state.get(param);
      if (state === undefined) {
        state = initialAdamState(param, group.amsgrad);
        this.state.set(param, state);
      }
      adamUpdate(param, state, group, true);
    }
  }

  protected override restoreState(state: Record<string, unknown>): AdamState {
    return restoreAdamState(state);
  }
}
