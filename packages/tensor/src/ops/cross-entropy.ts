import { isFloating, scalarTypeName } from '../dtype.js';
import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { LossReduction } from '../op-params.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { where } from './indexing.js';

export type CrossEntropyReduction = LossReduction;

/** PyTorch's default `ignore_index`. */
const IGNORE_INDEX = -100;

/** PyTorch's nll_loss check, where the device can be read without waiting (the CPU); kernels check elsewhere. */
function checkTargets(target: Tensor, classes: number, ignoreIndex: number): void {
  if (!target.device.supports('readSync')) return;
  for (const value of target.dataSync()) {
    const t = Number(value);
    if (t !== ignoreIndex && (t < 0 || t >= classes)) throw new RangeError(`Target ${t} is out of bounds.`);
  }
}

/**
 * Per row logsumexp(x) - x[target], max-shifted, and 0 where the target is `ignoreIndex`; with the count of
 * rows that were not ignored, the mean's divisor. Written with masks, so no value decides which kernels run.
 */
function composed(logits: Tensor, target: Tensor, ignoreIndex: number): { perRow: Tensor; count: Tensor } {
  const rows = logits.shape[0];
  const valid = target.ne(ignoreIndex);
  const safe = where(valid, target, 0).reshape([rows, 1]);
  // The kernel, not amax(): an empty batch reduces to nothing instead of raising.
  const max = k.reduce('max', logits, [1], true);
  const logSum = logits.sub(max).exp().sum(1, { keepdim: true }).log().add(max);
  const perRow = where(valid, logSum.sub(logits.gather(1, safe)).reshape([rows]), 0);
  return { perRow, count: valid.sum().float() };
}

const crossEntropyBody: OpBody<'crossEntropy', Tensor> = ([logits, target], { reduction, ignoreIndex }) => {
  if (ignoreIndex === null) {
    const perRow = k.fusedCrossEntropy(logits, target);
    if (reduction === 'none') return perRow;
    return reduction === 'sum' ? perRow.sum() : perRow.mean();
  }
  checkTargets(target, logits.shape[1], ignoreIndex);
  const { perRow, count } = composed(logits, target, ignoreIndex);
  if (reduction === 'none') return perRow;
  return reduction === 'sum' ? perRow.sum() : perRow.sum().div(count);
};

/**
 * Cross-entropy of [rows, classes] logits against int32 class indices, as `F.cross_entropy` without weights or
 * label smoothing: one op whose gradient is `softmax(logits) - onehot(target)`. Backends with a fused kernel
 * (WebGPU) run it in one pass and report a target outside [0, classes) at the next read; elsewhere targets equal
 * to -100 (PyTorch's default ignore_index) are left out, and other out-of-range ones raise PyTorch's error.
 */
export function crossEntropyLoss(logits: Tensor, target: Tensor, reduction: CrossEntropyReduction = 'mean'): Tensor {
  if (logits.shape.length !== 2) throw new RangeError(`crossEntropyLoss expects [rows, classes] logits, got ${formatShape(logits.shape)}`);
  if (target.dtype !== 'int64') {
    throw new TypeError(`expected scalar type Long but found ${scalarTypeName(target.dtype)}: class indices are int64 (convert with target.long())`);
  }
  if (target.shape.length !== 1 || target.shape[0] !== logits.shape[0]) {
    throw new RangeError(`Expected input batch_size (${logits.shape[0]}) to match target batch_size (${target.shape[0] ?? 1}).`);
  }
  const input = isFloating(logits.dtype) ? logits : logits.float();
  const ignoreIndex = input.device.supports('crossEntropy') ? null : IGNORE_INDEX;
  return run('crossEntropy', [input, target], { reduction, ignoreIndex }, crossEntropyBody);
}
