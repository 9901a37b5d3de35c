import { full, zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamGroup, type ParamsInput } from './optimizer.js';
import { optimizerOptions, type SwitchOptions } from './options.js';
import { addcmul_ } from './pointwise.js';
import { checkNonNegative } from './validate.js';

export interface RpropHyperparameters {
  lr: number;
  /** `[etaminus, etaplus]`: the step size's factors when the gradient's sign flips and when it holds. */
  etas: [number, number];
  /** `[min, max]`: the bounds of each element's step size. */
  stepSizes: [number, number];
  maximize: boolean;
}

export type RpropOptions = Partial<RpropHyperparameters> & SwitchOptions;

type RpropArgs = [lr: number, etas: [number, number], stepSizes: [number, number], foreach: boolean | null, maximize: boolean];

export interface RpropState {
  /** The step count, a plain number as in PyTorch 1.13. */
  step: number;
  /** The previous step's gradient (zero where its sign flipped). */
  prev: Tensor;
  /** Each element's own step size, starting at lr. */
  stepSize: Tensor;
}

/**
 * Resilient backpropagation, as `torch.optim.Rprop` (PyTorch 1.13's single-tensor algorithm): each element moves by
 * its own step size in the direction of the gradient's sign; the step size grows by etaplus while the sign holds
 * and shrinks by etaminus when it flips (and that step is skipped). Defaults: lr 1e-2, etas [0.5, 1.2],
 * stepSizes [1e-6, 50].
 */
export class Rprop extends Optimizer<RpropHyperparameters, RpropState> {
  /** The implementation flags PyTorch 1.13 keeps in each group and prints, at the values Descent's update has. */
  static override readonly pythonFlags: Readonly<Record<string, boolean | null>> = { foreach: null };

  constructor(params: ParamsInput<RpropHyperparameters>, ...args: ArgsThenOptions<RpropArgs, RpropOptions>) {
    const given = optimizerOptions<RpropOptions>('Rprop', args, ['lr', 'etas', 'stepSizes', 'foreach', 'maximize']);
    const { lr = 1e-2, etas = [0.5, 1.2], stepSizes = [1e-6, 50], maximize = false } = given;
    checkNonNegative('learning rate', lr);
    if (!(etas[0] > 0 && etas[0] < 1 && etas[1] > 1)) throw new RangeError(`Invalid eta values: ${etas[0]}, ${etas[1]}`);
    super(params, { lr, etas, stepSizes, maximize });
  }

  protected override stepGroup(group: ParamGroup<RpropHyperparameters>): void {
    const [etaminus, etaplus] = group.etas;
    const [stepSizeMin, stepSizeMax] = group.stepSizes;
    for (const param of group.params) {
      if (param.grad === null) continue;
      let state = this.state.get(param);
      if (state === undefined) {
        const like = { dtype: param.grad.dtype, device: param.grad.device };
        state = { step: 0, prev: zeros(param.shape, { dtype: param.dtype, device: param.device }), stepSize: full(param.shape, group.lr, like) };
        this.state.set(param, state);
      }
      state.step += 1;
      const grad = group.maximize ? param.grad.neg() : param.grad;
      // PyTorch writes etaplus, etaminus and 1 over the sign in turn; none of them is another's mask value.
      const sign = grad.mul(state.prev).sign();
      const flipped = sign.lt(0);
      const factor = sign.maskedFill(sign.gt(0), etaplus).maskedFill(flipped, etaminus).maskedFill(sign.eq(0), 1);
      state.stepSize.mul_(factor).clamp_(stepSizeMin, stepSizeMax);
      // Where the sign flipped the step is skipped, and the next step sees no previous gradient there.
      const kept = grad.maskedFill(flipped, 0);
      addcmul_(param, kept.sign(), state.stepSize, -1);
      state.prev.copy_(kept);
    }
  }
}
