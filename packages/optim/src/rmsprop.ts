import { zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { addcdiv_, addcmul, addcmul_ } from './pointwise.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { checkNonNegative } from './validate.js';

export interface RMSpropHyperparameters {
  lr: number;
  /** Smoothing constant of the running average of the squared gradient. */
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  /** Normalize by an estimate of the gradient's variance instead of its second moment. */
  centered: boolean;
  maximize: boolean;
}

export type RMSpropOptions = Partial<RMSpropHyperparameters> & SwitchOptions;

type RMSpropArgs = [
  lr: number,
  alpha: number,
  eps: number,
  weightDecay: number,
  momentum: number,
  centered: boolean,
  foreach: boolean | null,
  maximize: boolean,
  differentiable: boolean,
];

export interface RMSpropState {
  /** The step count, a plain number as in PyTorch 1.13. */
  step: number;
  squareAvg: Tensor;
  /** Present when momentum > 0. */
  momentumBuffer?: Tensor;
  /** Present when centered. */
  gradAvg?: Tensor;
}

/**
 * RMSprop, optionally centered and with momentum, as `torch.optim.RMSprop` (PyTorch 1.13's single-tensor algorithm).
 * Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weightDecay 0, momentum 0.
 */
export class RMSprop extends Optimizer<RMSpropHyperparameters, RMSpropState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { differentiable: false, foreach: null };

  constructor(params: ParamsInput<RMSpropHyperparameters>, ...args: ArgsThenOptions<RMSpropArgs, RMSpropOptions>) {
    const positional = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'foreach', 'maximize', 'differentiable'] as const;
    const given = optimizerOptions<RMSpropOptions>('RMSprop', args, positional);
    const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false, maximize = false } = given;
    checkNonNegative('learning rate', lr);
    checkNonNegative('epsilon value', eps);
    checkNonNegative('momentum value', momentum);
    checkNonNegative('weight_decay value', weightDecay);
    checkNonNegative('alpha value', alpha);
    super(params, { lr, alpha, eps, weightDecay, momentum, centered, maximize });
  }

  protected override stepGroup(group: ParamGroup<RMSpropHyperparameters>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    for (const param of group.params) {
      if (param.grad === null) continue;
      const like = { dtype: param.dtype, device: param.device };
      let state = this.state.get(param);
      if (state === undefined) {
        state = { step: 0, squareAvg: zeros(param.shape, like) };
        if (momentum > 0) state.momentumBuffer = zeros(param.shape, like);
        if (centered) state.gradAvg = zeros(param.shape, like);
        this.state.set(param, state);
      }
      state.step += 1;

      let grad = maximize ? param.grad.neg() : param.grad;
      if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
      addcmul_(state.squareAvg.mul_(alpha), grad, grad, 1 - alpha);

      let avg: Tensor;
      if (centered) {
        state.gradAvg ??= zeros(param.shape, like);
        state.gradAvg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
        avg = addcmul(state.squareAvg, state.gradAvg, state.gradAvg, -1).sqrt_();
      } else {
        avg = state.squareAvg.sqrt();
      }
      avg = avg.add_(eps);

      if (momentum > 0) {
        state.momentumBuffer ??= zeros(param.shape, like);
        addcdiv_(state.momentumBuffer.mul_(momentum), grad, avg);
        param.add_(state.momentumBuffer, { alpha: -lr });
      } else {
        addcdiv_(param, grad, avg, -lr);
      }
    }
  }
}
