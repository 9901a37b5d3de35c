import { tensor, zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { addcdiv_, addcmul_ } from './pointwise.js';
import { checkAdamFamily, checkNonNegative } from './validate.js';

export interface NAdamHyperparameters {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** How fast the momentum schedule `mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentumDecay))` approaches beta1. */
  momentumDecay: number;
}

export type NAdamOptions = Partial<NAdamHyperparameters> & SwitchOptions;

type NAdamArgs = [lr: number, betas: [number, number], eps: number, weightDecay: number, momentumDecay: number, foreach: boolean | null];

export interface NAdamState {
  /** The step count, a 0-d float32 tensor as in PyTorch 1.13. */
  step: Tensor;
  /** The product of the momentum schedule so far, a 0-d float32 tensor. */
  muProduct: Tensor;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * Adam with Nesterov momentum, as `torch.optim.NAdam` (PyTorch 1.13's single-tensor algorithm; it has no
 * `maximize`). Defaults: lr 2e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0, momentumDecay 4e-3.
 */
export class NAdam extends Optimizer<NAdamHyperparameters, NAdamState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { foreach: null };

  constructor(params: ParamsInput<NAdamHyperparameters>, ...args: ArgsThenOptions<NAdamArgs, NAdamOptions>) {
    const given = optimizerOptions<NAdamOptions>('NAdam', args, ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'foreach']);
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3 } = given;
    checkAdamFamily(lr, eps, betas, weightDecay);
    checkNonNegative('momentum_decay value', momentumDecay);
    super(params, { lr, betas, eps, weightDecay, momentumDecay });
  }

  protected override stepGroup(group: ParamGroup<NAdamHyperparameters>): void {
    const { lr, betas, eps, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = betas;
    for (const param of group.params) {
      if (param.grad === null) continue;
      let state = this.state.get(param);
      if (state === undefined) {
        const like = { dtype: param.dtype, device: param.device };
        state = {
          step: tensor(0, { dtype: 'float32' }),
          muProduct: tensor(1, { dtype: 'float32' }),
          expAvg: zeros(param.shape, like),
          expAvgSq: zeros(param.shape, like),
        };
        this.state.set(param, state);
      }
      state.step.add_(1);
      const step = state.step.item() as number;
      const biasCorrection2 = 1 - beta2 ** step;
      const grad = weightDecay !== 0 ? param.grad.add(param, { alpha: weightDecay }) : param.grad;

      // The momentum cache mu_t and mu_{t+1}; their running product stays a float32 tensor, as in PyTorch.
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      state.muProduct.mul_(mu);
      const muProductNext = state.muProduct.mul(mu).mul(muNext);

      state.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      addcmul_(state.expAvgSq.mul_(beta2), grad, grad, 1 - beta2);

      const denom = state.expAvgSq.div(biasCorrection2).sqrt().add_(eps);
      addcdiv_(param, grad, denom, (-lr * (1 - mu)) / (1 - (state.muProduct.item() as number)));
      addcdiv_(param, state.expAvg, denom, (-lr * muNext) / (1 - (muProductNext.item() as number)));
    }
  }

  protected override restoreState(state: Record<string, unknown>): NAdamState {
    if (typeof state.step === 'number') state.step = tensor(state.step, { dtype: 'float32' });
    if (typeof state.muProduct === 'number') state.muProduct = tensor(state.muProduct, { dtype: 'float32' });
    return state as unknown as NAdamState;
  }
}
