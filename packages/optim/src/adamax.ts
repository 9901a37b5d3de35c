import { cat, tensor, zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { addcdiv_ } from './pointwise.js';
import { checkAdamFamily } from './validate.js';

export interface AdamaxHyperparameters {
  lr: number;
  /** Decay rates of the running average of the gradient and of the infinity norm. */
  betas: [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export type AdamaxOptions = Partial<AdamaxHyperparameters> & SwitchOptions;

export interface AdamaxState {
  /** The step count, a 0-d float32 tensor as in PyTorch 1.13. */
  step: Tensor;
  expAvg: Tensor;
  /** The exponentially weighted infinity norm of the gradients. */
  expInf: Tensor;
}

/**
 * Adamax, Adam with the infinity norm, as `torch.optim.Adamax` (PyTorch 1.13's single-tensor algorithm).
 * Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 */
export class Adamax extends Optimizer<AdamaxHyperparameters, AdamaxState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { foreach: null };

  constructor(
    params: ParamsInput<AdamaxHyperparameters>,
    ...args: ArgsThenOptions<[lr: number, betas: [number, number], eps: number, weightDecay: number, foreach: boolean | null], AdamaxOptions>
  ) {
    const given = optimizerOptions<AdamaxOptions>('Adamax', args, ['lr', 'betas', 'eps', 'weightDecay', 'foreach'], ['maximize']);
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, maximize = false } = given;
    checkAdamFamily(lr, eps, betas, weightDecay);
    super(params, { lr, betas, eps, weightDecay, maximize });
  }

  protected override stepGroup(group: ParamGroup<AdamaxHyperparameters>): void {
    const { lr, betas, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = betas;
    for (const param of group.params) {
      if (param.grad === null) continue;
      let state = this.state.get(param);
      if (state === undefined) {
        const like = { dtype: param.dtype, device: param.device };
        state = { step: tensor(0, { dtype: 'float32' }), expAvg: zeros(param.shape, like), expInf: zeros(param.shape, like) };
        this.state.set(param, state);
      }
      let grad = maximize ? param.grad.neg() : param.grad;
      state.step.add_(1);
      const step = state.step.item() as number;
      if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });

      state.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      // The new infinity norm: max(beta2 * expInf, |grad| + eps), elementwise (PyTorch's amax over a stacked pair).
      const normBuf = cat([state.expInf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze(0)], 0);
      state.expInf.copy_(normBuf.amax(0));

      const clr = lr / (1 - beta1 ** step);
      addcdiv_(param, state.expAvg, state.expInf, -clr);
    }
  }

  protected override restoreState(state: Record<string, unknown>): AdamaxState {
    if (typeof state.step === 'number') state.step = tensor(state.step, { dtype: 'float32' });
    return state as unknown as AdamaxState;
  }
}
