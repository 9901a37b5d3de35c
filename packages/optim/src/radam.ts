import { tensor, zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { addcmul_ } from './pointwise.js';
import { checkAdamFamily } from './validate.js';

export interface RAdamHyperparameters {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
}

export type RAdamOptions = Partial<RAdamHyperparameters> & SwitchOptions;

export interface RAdamState {
  /** The step count, a 0-d float32 tensor as in PyTorch 1.13. */
  step: Tensor;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * Rectified Adam, as `torch.optim.RAdam` (PyTorch 1.13's single-tensor algorithm; it has no `maximize`): plain
 * momentum steps until the variance of the adaptive lr is tractable, then rectified Adam steps. Defaults: lr 1e-3,
 * betas [0.9, 0.999], eps 1e-8, weightDecay 0.
 */
export class RAdam extends Optimizer<RAdamHyperparameters, RAdamState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { foreach: null };

  constructor(
    params: ParamsInput<RAdamHyperparameters>,
    ...args: ArgsThenOptions<[lr: number, betas: [number, number], eps: number, weightDecay: number, foreach: boolean | null], RAdamOptions>
  ) {
    const given = optimizerOptions<RAdamOptions>('RAdam', args, ['lr', 'betas', 'eps', 'weightDecay', 'foreach']);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = given;
    checkAdamFamily(lr, eps, betas, weightDecay);
    super(params, { lr, betas, eps, weightDecay });
  }

  protected override stepGroup(group: ParamGroup<RAdamHyperparameters>): void {
    const { lr, betas, eps, weightDecay } = group;
    const [beta1, beta2] = betas;
    for (const param of group.params) {
      if (param.grad === null) continue;
      let state = this.state.get(param);
      if (state === undefined) {
        const like = { dtype: param.dtype, device: param.device };
        state = { step: tensor(0, { dtype: 'float32' }), expAvg: zeros(param.shape, like), expAvgSq: zeros(param.shape, like) };
        this.state.set(param, state);
      }
      state.step.add_(1);
      const step = state.step.item() as number;
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const grad = weightDecay !== 0 ? param.grad.add(param, { alpha: weightDecay }) : param.grad;

      state.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
      addcmul_(state.expAvgSq.mul_(beta2), grad, grad, 1 - beta2);
      const biasCorrectedExpAvg = state.expAvg.div(biasCorrection1);

      // The length of the approximated simple moving average, and its limit.
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
      if (rhoT > 5) {
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        // Python's `scalar / tensor` is `tensor.reciprocal() * scalar`.
        const adaptiveLr = state.expAvgSq.sqrt().add_(eps).reciprocal().mul(Math.sqrt(biasCorrection2));
        param.add_(biasCorrectedExpAvg.mul(lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
      } else {
        param.add_(biasCorrectedExpAvg.mul(lr), { alpha: -1 });
      }
    }
  }

  protected override restoreState(state: Record<string, unknown>): RAdamState {
    if (typeof state.step === 'number') state.step = tensor(state.step, { dtype: 'float32' });
    return state as unknown as RAdamState;
  }
}
