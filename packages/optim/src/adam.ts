import type { ArgsThenOptions } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { adamUpdate, initialAdamState, restoreAdamState, type AdamHyperparameters, type AdamState } from './adam-update.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { checkAdamFamily } from './validate.js';

export type { AdamHyperparameters, AdamState } from './adam-update.js';
export type AdamOptions = Partial<AdamHyperparameters> & SwitchOptions;

/** The positional order of Adam and AdamW after params (`maximize` and `foreach` are keyword-only). */
export type AdamArgs = [lr: number, betas: [number, number], eps: number, weightDecay: number, amsgrad: boolean];
export const ADAM_POSITIONAL = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'] as const;

/**
 * Adam, optionally AMSGrad, with L2 weight decay added to the gradient, as `torch.optim.Adam` (PyTorch 1.13's
 * single-tensor algorithm). Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 */
export class Adam extends Optimizer<AdamHyperparameters, AdamState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { capturable: false, differentiable: false, foreach: null, fused: false };

  constructor(params: ParamsInput<AdamHyperparameters>, ...args: ArgsThenOptions<AdamArgs, AdamOptions>) {
    const given = optimizerOptions<AdamOptions>('Adam', args, ADAM_POSITIONAL, ['foreach', 'maximize', 'capturable', 'differentiable', 'fused']);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false, maximize = false } = given;
    checkAdamFamily(lr, eps, betas, weightDecay);
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
