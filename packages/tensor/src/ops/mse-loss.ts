import { isFloating, promoteTypes } from '../dtype.js';
import { run, type OpBody } from '../gate.js';
import type { LossReduction } from '../op-params.js';
import type { Tensor } from '../tensor.js';

export type { LossReduction } from '../op-params.js';

/** (input - target)^2, then reduced: three kernels and a reduction, written with tensor ops. */
const mseBody: OpBody<'mseLoss', Tensor> = ([input, target], { reduction }) => {
  const diff = input.sub(target);
  const squares = diff.mul(diff);
  if (reduction === 'none') return squares;
  return reduction === 'sum' ? squares.sum() : squares.mean();
};

/**
 * Squared error as one op, so its gradient is `2 (input - target)` scaled once and it prints PyTorch's
 * `MseLossBackward0`: the op behind `nn.functional.mseLoss` and `nn.MSELoss`.
 */
export function mseLossOp(input: Tensor, target: Tensor, reduction: LossReduction = 'mean'): Tensor {
  const dtype = isFloating(input.dtype) || isFloating(target.dtype) ? promoteTypes(input.dtype, target.dtype) : 'float32';
  const x = input.to(dtype);
  const y = target.to(dtype);
  return run('mseLoss', [x, y], { reduction }, mseBody);
}
