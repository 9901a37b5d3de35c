import { tensor, zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { checkNonNegative } from './validate.js';

export interface ASGDHyperparameters {
  lr: number;
  /** The decay term. */
  lambd: number;
  /** The power of the step size's decay. */
  alpha: number;
  /** The step at which averaging starts. */
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

export type ASGDOptions = Partial<ASGDHyperparameters> & SwitchOptions;

type ASGDArgs = [lr: number, lambd: number, alpha: number, t0: number, weightDecay: number, foreach: boolean | null, maximize: boolean];

export interface ASGDState {
  /** The step count, a 0-d float32 tensor as in PyTorch 1.13. */
  step: Tensor;
  /** The current step size, a 0-d float32 tensor. */
  eta: Tensor;
  /** The averaging weight, a 0-d float32 tensor (1 until step t0). */
  mu: Tensor;
  /** The averaged parameter. */
  ax: Tensor;
}

/**
 * Averaged stochastic gradient descent, as `torch.optim.ASGD` (PyTorch 1.13's single-tensor algorithm): SGD with a
 * decaying step size whose running average of the parameters is kept in `state.ax`. Defaults: lr 1e-2,
 * lambd 1e-4, alpha 0.75, t0 1e6, weightDecay 0.
 */
export class ASGD extends Optimizer<ASGDHyperparameters, ASGDState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { foreach: null };

  constructor(params: ParamsInput<ASGDHyperparameters>, ...args: ArgsThenOptions<ASGDArgs, ASGDOptions>) {
    const given = optimizerOptions<ASGDOptions>('ASGD', args, ['lr', 'lambd', 'alpha', 't0', 'weightDecay', 'foreach', 'maximize']);
    const { lr = 1e-2, lambd = 1e-4, alpha = 0.75, t0 = 1e6, weightDecay = 0, maximize = false } = given;
    checkNonNegative('learning rate', lr);
    checkNonNegative('weight_decay value', weightDecay);
    super(params, { lr, lambd, alpha, t0, weightDecay, maximize });
  }

  protected override stepGroup(group: ParamGroup<ASGDHyperparameters>): void {
    const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
    for (const param of group.params) {
      if (param.grad === null) continue;
      let state = this.state.get(param);
      if (state === undefined) {
        state = {
          step: scalar(0),
          eta: scalar(lr),
          mu: scalar(1),
          ax: zeros(param.shape, { dtype: param.dtype, device: param.device }),
        };
        this.state.set(param, state);
      }
      let grad = maximize ? param.grad.neg() : param.grad;
      state.step.add_(1);
      const step = state.step.item() as number;
      if (weightDecay !== 0) grad = grad.add(param, { alpha: weightDecay });
      // eta and mu are read back as float32 values, as PyTorch's `.item()`; the arithmetic on them is Python's.
      const eta = state.eta.item() as number;
      param.mul_(1 - lambd * eta);
      param.add_(grad, { alpha: -eta });
      if ((state.mu.item() as number) !== 1) state.ax.add_(param.sub(state.ax).mul(state.mu.item() as number));
      else state.ax.copy_(param);
      state.eta.fill_(lr / Math.pow(1 + lambd * lr * step, alpha));
      state.mu.fill_(1 / Math.max(1, step - t0));
    }
  }

  protected override restoreState(state: Record<string, unknown>): ASGDState {
    // Older checkpoints keep step, eta and mu as numbers; PyTorch's __setstate__ makes them tensors.
    for (const key of ['step', 'eta', 'mu']) if (typeof state[key] === 'number') state[key] = scalar(state[key]);
    return state as unknown as ASGDState;
  }
}

function scalar(value: number): Tensor {
  return tensor(value, { dtype: 'float32' });
}
