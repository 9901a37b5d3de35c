import { zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { addcmul_ } from './pointwise.js';
import { checkNonNegative } from './validate.js';

export interface AdadeltaHyperparameters {
  /** Scales the delta before it is applied. */
  lr: number;
  /** Decay rate of the running averages of the squared gradient and of the squared update. */
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export type AdadeltaOptions = Partial<AdadeltaHyperparameters> & SwitchOptions;

export interface AdadeltaState {
  /** The step count, a plain number as in PyTorch 1.13. */
  step: number;
  squareAvg: Tensor;
  /** The running average of the squared updates. */
  accDelta: Tensor;
}

/**
 * Adadelta, as `torch.optim.Adadelta` (PyTorch 1.13's single-tensor algorithm). Defaults: lr 1, rho 0.9, eps 1e-6,
 * weightDecay 0.
 */
export class Adadelta extends Optimizer<AdadeltaHyperparameters, AdadeltaState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { foreach: null };

  constructor(
    params: ParamsInput<AdadeltaHyperparameters>,
    ...args: ArgsThenOptions<[lr: number, rho: number, eps: number, weightDecay: number, foreach: boolean | null], AdadeltaOptions>
  ) {
    const given = optimizerOptions<AdadeltaOptions>('Adadelta', args, ['lr', 'rho', 'eps', 'weightDecay', 'foreach'], ['maximize']);
    const { lr = 1, rho = 0.9, eps = 1e-6, weightDecay = 0, maximize = false } = given;
    checkNonNegative('learning rate', lr);
    if (!(rho >= 0 && rho <= 1)) throw new RangeError(`Invalid rho value: ${rho}`);
    checkNonNegative('epsilon value', eps);
    checkNonNegative('weight_decay value', weightDecay);
    super(params, { lr, rho, eps, weightDecay, maximize });
  }

  protected override stepGroup(group: ParamGroup<AdadeltaHyperparameters>): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    for (const param of group.params) {
      if (param.grad === null) continue;
      let state = this.state.get(param);
      if (state === undefined) {
        const like = { dtype: param.dtype, device: param.device };
        state = { step: 0, squareAvg: zeros(param.shape, like), accDelta: zeros(param.shape, like) };
        this.state.set(param, state);
      }
      state.step += 1;

      let grad = maximize ? param.grad.neg() : param.grad;
      if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
      addcmul_(state.squareAvg.mul_(rho), grad, grad, 1 - rho);
      const std = state.squareAvg.add(eps).sqrt_();
      const delta = state.accDelta.add(eps).sqrt_().div_(std).mul_(grad);
      addcmul_(state.accDelta.mul_(rho), delta, delta, 1 - rho);
      param.add_(delta, { alpha: -lr });
    }
  }
}
