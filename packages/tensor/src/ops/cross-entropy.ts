import { dispatch, type Forward } from '../dispatch.js';
import * as k from '../kernels.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { scalarTensor } from './scalar.js';

export type CrossEntropyReduction = 'none' | 'mean' | 'sum';
const VARIANT: Record<CrossEntropyReduction, number> = { none: 0, mean: 1, sum: 2 };

const crossEntropyForward: Forward = ([logits, target], { variant }) => {
  const rows = logits.shape[0];
  // One fused pass where the backend has it; otherwise logsumexp(x) - x[target] from primitives.
  let perRow = k.fusedCrossEntropy(logits, target);
  if (!perRow) {
    const max = k.reduce('max', logits, [1], true);
    const shifted = k.binary('sub', logits, max, logits.shape, 'float32');
    const logSum = k.binary('add', k.unary('log', k.reduce('sum', k.unary('exp', shifted), [1], true)), max, max.shape, 'float32');
    const picked = k.gather(logits, 1, target.reshape([rows, 1]));
    perRow = k.binary('sub', logSum, picked, [rows, 1], 'float32').reshape([rows]);
  }
  if (variant === VARIANT.none) return perRow;
  const total = k.reduce('sum', perRow, [0], false);
  if (variant === VARIANT.sum) return total;
  return k.binary('div', total, scalarTensor(rows, 'float32', logits.device), [], 'float32');
};

/**
 * Cross-entropy of [rows, classes] logits against int32 class indices, as `F.cross_entropy` without weights,
 * ignored indices or label smoothing: one op (one fused kernel where the backend has one) whose gradient is
 * `softmax(logits) - onehot(target)`.
 */
export function crossEntropyLoss(logits: Tensor, target: Tensor, reduction: CrossEntropyReduction = 'mean'): Tensor {
  if (logits.shape.length !== 2) throw new RangeError(`crossEntropyLoss expects [rows, classes] logits, got ${formatShape(logits.shape)}`);
  if (target.dtype !== 'int32') throw new TypeError(`crossEntropyLoss expects int32 class indices, got ${target.dtype}`);
  if (target.shape.length !== 1 || target.shape[0] !== logits.shape[0]) {
    throw new RangeError(`Expected input batch_size (${logits.shape[0]}) to match target batch_size (${target.shape[0] ?? 1}).`);
  }
  const input = logits.dtype === 'float32' ? logits : logits.float();
  return dispatch('crossEntropy', [input, target], crossEntropyForward, { variant: VARIANT[reduction] });
}
