import { dispatch, type Forward } from '../dispatch.js';
import * as k from '../kernels.js';
import { broadcastShapes, numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { scalarTensor } from './scalar.js';

export type LossReduction = 'none' | 'mean' | 'sum';
const VARIANT: Record<LossReduction, number> = { none: 0, mean: 1, sum: 2 };

const mseForward: Forward = ([input, target], { variant }) => {
  const shape = broadcastShapes(input.shape, target.shape);
  const diff = k.binary('sub', input, target, shape, 'float32');
  const squares = k.binary('mul', diff, diff, shape, 'float32');
  if (variant === VARIANT.none) return squares;
  const total = k.reduce('sum', squares, shape.map((_, i) => i), false);
  if (variant === VARIANT.sum) return total;
  return k.binary('div', total, scalarTensor(numel(shape), 'float32', input.device), [], 'float32');
};

/**
 * Squared error as one op, so its gradient is `2 (input - target)` scaled once and it prints PyTorch's
 * `MseLossBackward0`: the op behind `nn.functional.mseLoss` and `nn.MSELoss`.
 */
export function mseLossOp(input: Tensor, target: Tensor, reduction: LossReduction = 'mean'): Tensor {
  const x = input.dtype === 'float32' ? input : input.float();
  const y = target.dtype === 'float32' ? target : target.float();
  return dispatch('mseLoss', [x, y], mseForward, { variant: VARIANT[reduction] });
}
