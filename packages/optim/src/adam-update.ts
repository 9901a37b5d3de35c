import { fusedAdamStep_, maximum, tensor, zeros, type Tensor } from '@descent/tensor';
import { addcdiv_, addcmul_ } from './pointwise.js';

export interface AdamHyperparameters {
  lr: number;
  /** Decay rates of the running averages of the gradient and of its square. */
  betas: [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamState {
  /** The step count, a 0-d float32 tensor as in PyTorch 1.13. */
  step: Tensor;
  expAvg: Tensor;
  expAvgSq: Tensor;
  /** Present with `amsgrad`. */
  maxExpAvgSq?: Tensor;
}

/** Fresh state for `param`: step 0 and zeroed moments. */
export function initialAdamState(param: Tensor, amsgrad: boolean): AdamState {
  const like = { dtype: param.dtype, device: param.device };
  const state: AdamState = { step: tensor(0, { dtype: 'float32' }), expAvg: zeros(param.shape, like), expAvgSq: zeros(param.shape, like) };
  if (amsgrad) state.maxExpAvgSq = zeros(param.shape, like);
  return state;
}

/** A loaded state whose `step` is a plain number (an older state dict) gets it back as a tensor. */
export function restoreAdamState(state: Record<string, unknown>): AdamState {
  if (typeof state.step === 'number') state.step = tensor(state.step, { dtype: 'float32' });
  return state as unknown as AdamState;
}

/**
 * One Adam update of `param`, op for op as PyTorch 1.13's `_single_tensor_adam` (L2 weight decay added to the
 * gradient) or `_single_tensor_adamw` (`decoupled`: the parameter decays by `1 - lr * weightDecay` first).
 */
export function adamUpdate(param: Tensor, paramGrad: Tensor, state: AdamState, group: AdamHyperparameters, decoupled: boolean): void {
  const { lr, betas, eps, weightDecay, amsgrad, maximize } = group;
  const [beta1, beta2] = betas;
  if (param.device.supports('adamUpdate')) {
    // One fused kernel on backends that have it (the CPU: the composed bits; GPUs): one pass over the state.
    const maxExpAvgSq = amsgrad ? (state.maxExpAvgSq ??= zeros(param.shape, { dtype: param.dtype, device: param.device })) : null;
    const step = (state.step.item() as number) + 1;
    const h = { lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, step };
    if (fusedAdamStep_(param, paramGrad, state.expAvg, state.expAvgSq, maxExpAvgSq, h)) {
      state.step.add_(1);
      return;
    }
  }
  let grad = maximize ? paramGrad.neg() : paramGrad;
  state.step.add_(1);
  if (decoupled) {
    param.mul_(1 - lr * weightDecay);
  } else if (weightDecay !== 0) {
    grad = grad.add(param, { alpha: weightDecay });
  }

  state.expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
  addcmul_(state.expAvgSq.mul_(beta2), grad, grad, 1 - beta2);

  const step = state.step.item() as number;
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2 = 1 - beta2 ** step;
  const stepSize = lr / biasCorrection1;
  const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

  let secondMoment = state.expAvgSq;
  if (amsgrad) {
    state.maxExpAvgSq ??= zeros(param.shape, { dtype: param.dtype, device: param.device });
    secondMoment = state.maxExpAvgSq.copy_(maximum(state.maxExpAvgSq, state.expAvgSq));
  }
  const denom = secondMoment.sqrt().div(biasCorrection2Sqrt).add_(eps);
  addcdiv_(param, state.expAvg, denom, -stepSize);
}
