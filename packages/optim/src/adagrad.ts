import { full, tensor, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { addcdiv_, addcmul_ } from './pointwise.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { checkNonNegative } from './validate.js';

export interface AdagradHyperparameters {
  lr: number;
  /** The step size decays as `lr / (1 + (step - 1) * lrDecay)`. */
  lrDecay: number;
  weightDecay: number;
  /** Starting value of the sum of squared gradients. */
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export type AdagradOptions = Partial<AdagradHyperparameters> & SwitchOptions;

type AdagradArgs = [lr: number, lrDecay: number, weightDecay: number, initialAccumulatorValue: number, eps: number, foreach: boolean | null];

export interface AdagradState {
  /** The step count, a 0-d float32 tensor as in PyTorch 1.13. */
  step: Tensor;
  /** The running sum of squared gradients. */
  sum: Tensor;
}

/**
 * Adagrad, as `torch.optim.Adagrad` (PyTorch 1.13's single-tensor algorithm, dense gradients). Defaults: lr 1e-2,
 * lrDecay 0, weightDecay 0, initialAccumulatorValue 0, eps 1e-10. State is created for every parameter up front.
 */
export class Adagrad extends Optimizer<AdagradHyperparameters, AdagradState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { foreach: null };

  constructor(params: ParamsInput<AdagradHyperparameters>, ...args: ArgsThenOptions<AdagradArgs, AdagradOptions>) {
    const positional = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'foreach'] as const;
    const given = optimizerOptions<AdagradOptions>('Adagrad', args, positional, ['maximize']);
    const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10, maximize = false } = given;
    checkNonNegative('learning rate', lr);
    checkNonNegative('lr_decay value', lrDecay);
    checkNonNegative('weight_decay value', weightDecay);
    checkNonNegative('initial_accumulator_value value', initialAccumulatorValue);
    checkNonNegative('epsilon value', eps);
    super(params, { lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize });
    for (const group of this.paramGroups) {
      for (const param of group.params) this.state.set(param, initialState(param, group.initialAccumulatorValue));
    }
  }

  protected override stepGroup(group: ParamGroup<AdagradHyperparameters>): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    for (const param of group.params) {
      if (param.grad === null) continue;
      // Groups added after construction get their state on their first step.
      let state = this.state.get(param);
      if (state === undefined) {
        state = initialState(param, group.initialAccumulatorValue);
        this.state.set(param, state);
      }
      state.step.add_(1);
      const step = state.step.item() as number;
      let grad = maximize ? param.grad.neg() : param.grad;
      if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
      const clr = lr / (1 + (step - 1) * lrDecay);
      addcmul_(state.sum, grad, grad, 1);
      const std = state.sum.sqrt().add_(eps);
      addcdiv_(param, grad, std, -clr);
    }
  }

  protected override restoreState(state: Record<string, unknown>): AdagradState {
    if (typeof state.step === 'number') state.step = tensor(state.step, { dtype: 'float32' });
    return state as unknown as AdagradState;
  }
}

function initialState(param: Tensor, initialAccumulatorValue: number): AdagradState {
  return {
    step: tensor(0, { dtype: 'float32' }),
    sum: full(param.shape, initialAccumulatorValue, { dtype: param.dtype, device: param.device }),
  };
}
