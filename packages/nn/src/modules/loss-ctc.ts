import { bindArgs, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { ctcLoss, type CtcLossOptions, type Lengths } from '../functional/ctc-loss.js';
import type { Reduction } from '../functional/reduction.js';
import { Loss } from './loss-base.js';

/**
 * The Connectionist Temporal Classification loss, as `nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)`;
 * called as `loss(log_probs, targets, input_lengths, target_lengths)`.
 */
export class CTCLoss extends Loss {
  blank: number;
  zeroInfinity: boolean;

  constructor(...args: ArgsThenOptions<[blank: number, reduction: Reduction, zeroInfinity: boolean], CtcLossOptions>) {
    const o = bindArgs<CtcLossOptions>({ fn: 'CTCLoss.__init__', required: 0, positional: ['blank', 'reduction', 'zeroInfinity'] }, args);
    super(o);
    this.blank = o.blank ?? 0;
    this.zeroInfinity = o.zeroInfinity ?? false;
  }

  override forward(logProbs: Tensor, targets: Tensor, inputLengths: Lengths, targetLengths: Lengths): Tensor {
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, { blank: this.blank, reduction: this.reduction, zeroInfinity: this.zeroInfinity });
  }
}
