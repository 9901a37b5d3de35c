import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { adamUpdate, initialAdamState, restoreAdamState, type AdamHyperparameters, type AdamState } from './adam-update.js';
import { optimizerOptions } from './options.js';
import { checkBetas, checkNonNegative } from './validate.js';

export type { AdamHyperparameters, AdamState } from './adam-update.js';
export type AdamOptions = Partial<AdamHyperparameters>;

/** The keyword arguments of Adam and AdamW. */
export const ADAM_KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const satisfies readonly (keyof AdamHyperparameters)[];

/**
 * Adam, optionally AMSGrad, with L2 weight decay added to the gradient, as `torch.optim.Adam` (PyTorch 1.13's
 * single-tensor algorithm). Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 */
export class Adam extends Optimizer<AdamHyperparameters, AdamState> {
  constructor(params: ParamsInput<AdamHyperparameters>, lrOrOptions?: number | AdamOptions, options?: Omit<AdamOptions, 'lr'>) {
    const given = optimizerOptions<AdamOptions>('Adam', lrOrOptions, options, ADAM_KEYS);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, maximize = false } = given;
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
      adamUpdate(param, param.grad, state, group, this.decoupled);
    }
  }

  /** AdamW decays the parameter itself instead of adding weight decay to the gradient. */
  protected get decoupled(): boolean {
    return false;
  }

  protected override restoreState(state: Record<string, unknown>): AdamState {
    return restoreAdamState(state);
  }
}
