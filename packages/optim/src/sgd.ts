import { fusedSgdStep_, zerosLike, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { checkNonNegative } from './validate.js';

export interface SGDHyperparameters {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** `lr` is required, here or in every parameter group. */
export type SGDOptions = Partial<SGDHyperparameters> & SwitchOptions;

export interface SGDState {
  /** The velocity; `null` while momentum is 0, as PyTorch stores `momentum_buffer: None`. */
  momentumBuffer: Tensor | null;
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum, dampening and L2 weight decay, as
 * `torch.optim.SGD` (PyTorch 1.13's single-tensor algorithm).
 */
export class SGD extends Optimizer<SGDHyperparameters, SGDState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { differentiable: false, foreach: null };

  /** PyTorch's positional order: `new SGD(params, 0.1, 0.9)` is lr 0.1 with momentum 0.9; `maximize` by keyword only. */
  constructor(
    params: ParamsInput<SGDHyperparameters>,
    ...args: ArgsThenOptions<[lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean], SGDOptions>
  ) {
    const positional = ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov'] as const;
    const given = optimizerOptions<SGDOptions>('SGD', args, positional, ['maximize', 'foreach', 'differentiable']);
    const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false, maximize = false } = given;
    if (lr !== undefined) checkNonNegative('learning rate', lr);
    checkNonNegative('momentum value', momentum);
    checkNonNegative('weight_decay value', weightDecay);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, { lr, momentum, dampening, weightDecay, nesterov, maximize });
  }

  protected override stepGroup(group: ParamGroup<SGDHyperparameters>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const param of group.params) {
      if (param.grad === null) continue;
      const state = this.state.get(param) ?? { momentumBuffer: null };
      if (param.device.supports('sgdUpdate') && this.fusedStep(param, param.grad, state, group)) continue;
      let dP = maximize ? param.grad.neg() : param.grad;
      if (weightDecay !== 0) dP = dP.add(param, { alpha: weightDecay });
      if (momentum !== 0) {
        let buf = state.momentumBuffer;
        if (buf === null) {
          buf = dP.clone().detach();
        } else {
          buf.mul_(momentum).add_(dP, { alpha: 1 - dampening });
        }
        state.momentumBuffer = buf;
        dP = nesterov ? dP.add(buf, { alpha: momentum }) : buf;
      }
      param.add_(dP, { alpha: -lr });
      this.state.set(param, state);
    }
  }

  /** The same step as one fused kernel, on backends that have it (the CPU, bit for bit; GPUs). */
  private fusedStep(param: Tensor, grad: Tensor, state: SGDState, group: ParamGroup<SGDHyperparameters>): boolean {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const firstStep = momentum !== 0 && state.momentumBuffer === null;
    const buffer = momentum === 0 ? null : (state.momentumBuffer ?? zerosLike(param));
    const fused = fusedSgdStep_(param, grad, buffer, { lr, momentum, dampening, weightDecay, nesterov, maximize, firstStep });
    if (fused) this.state.set(param, { momentumBuffer: buffer });
    return fused;
  }
}
