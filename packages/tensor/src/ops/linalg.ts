import { isFloating, promoteTypes } from '../dtype.js';
import { NO_PARAMS, run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import { broadcastShapes, formatShape, numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { presentAs } from './present-as.js';

/**
 * JavaScript writes 1.0 as 1, so data meant as floats often arrives as integers (`torch.tensor([[1, 2]])`): matmul
 * promotes an integer operand when the other is floating, where PyTorch (whose `1.` literals make this rare) raises.
 */
function promotedForMatmul(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (a.dtype === b.dtype || a.dtype === 'bool' || b.dtype === 'bool') return [a, b];
  if (!isFloating(a.dtype) && !isFloating(b.dtype)) return [a, b];
  const dtype = promoteTypes(a.dtype, b.dtype);
  return [a.to(dtype), b.to(dtype)];
}

function checkMatmulDTypes(a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(`expected m1 and m2 to have the same dtype, but got: ${a.dtype} != ${b.dtype}`);
  }
  if (a.dtype === 'bool') throw new TypeError('matmul is not implemented for bool tensors: convert with .float() or .int() first');
}

const mmForward: OpBody<'mm', Tensor> = ([a, b]) => k.matmul2(a, b);

/** Matrix product of two 2-D tensors. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2) throw new RangeError(`self must be a matrix`);
  if (b.shape.length !== 2) throw new RangeError(`mat2 must be a matrix`);
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(
      `mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`,
    );
  }
  checkMatmulDTypes(a, b);
  return run('mm', [a, b], NO_PARAMS, mmForward);
}

const bmmForward: OpBody<'bmm', Tensor> = ([a, b]) => k.matmul3(a, b);

/** Batched product of two 3-D tensors with equal batch sizes. */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 3) throw new RangeError(`batch1 must be a 3D tensor`);
  if (b.shape.length !== 3) throw new RangeError(`batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new RangeError(
      `Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`,
    );
  }
  checkMatmulDTypes(a, b);
  return run('bmm', [a, b], NO_PARAMS, bmmForward);
}

/** PyTorch's matmul: dot, matrix-vector, matrix-matrix and broadcast batched products by the operands' ranks. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  // JavaScript writes 1.0 as 1, so data meant as floats often arrives as int32 (`torch.tensor([[1, 2]])`): matmul
  // promotes an int32 operand when the other is float32, where PyTorch (whose `1.` literals make this rare) raises.
  [a, b] = promotedForMatmul(a, b);
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra === 0 || rb === 0) {
    throw new RangeError(`both arguments to matmul need to be at least 1D, but they are ${ra}D and ${rb}D`);
  }
  checkMatmulDTypes(a, b);
  if (ra === 1 && rb === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw new RangeError(
        `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
      );
    }
    return presentAs(mm(a.unsqueeze(0), b.unsqueeze(1)).reshape([]), 'DotBackward0', [a, b]);
  }
  // Each form prints the node PyTorch's matmul ends on (mv, an in-place squeeze, an unsafe view of a fold).
  if (ra === 2 && rb === 1) return presentAs(mmChecked(a, b.unsqueeze(1)).squeeze(-1), 'MvBackward0', [a, b]);
  if (ra === 1 && rb === 2) return presentAs(mmChecked(a.unsqueeze(0), b).squeeze(0), 'SqueezeBackward3', [a, b]);
  if (ra === 2 && rb === 2) return mmChecked(a, b);
  // A batch against a matrix folds the batch into the rows, as PyTorch's matmul does: one large product (all
  // threads, one kernel call, and one matmul for the matrix's gradient) instead of one small product per item.
  // (A matrix against a batch stays batched: folding it needs transposed copies that cost more than they save.)
  if (ra >= 3 && rb <= 2) return presentAs(foldedMatmul(a, b), 'UnsafeViewBackward0', [a, b]);
  // Batched: broadcast the batch dims, fold them into one, multiply, unfold.
  const a2 = ra === 1 ? a.unsqueeze(0) : a;
  const b2 = rb === 1 ? b.unsqueeze(1) : b;
  const [m, kA] = a2.shape.slice(-2);
  const [kB, n] = b2.shape.slice(-2);
  if (kA !== kB) {
    throw new RangeError(
      `mat1 and mat2 shapes cannot be multiplied (${numel(a2.shape.slice(0, -1))}x${kA} and ${kB}x${n})`,
    );
  }
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
  const batchSize = numel(batch);
  const a3 = a2.expand([...batch, m, kA]).reshape([batchSize, m, kA]);
  const b3 = b2.expand([...batch, kB, n]).reshape([batchSize, kB, n]);
  let out = bmm(a3, b3).reshape([...batch, m, n]);
  if (ra === 1) out = out.squeeze(-2);
  if (rb === 1) out = out.squeeze(-1);
  // PyTorch folds a matrix against a batch transposed, then copies the result unless a size-1 dim keeps it contiguous.
  const name = ra !== 2 ? 'UnsafeViewBackward0' : m === 1 || n === 1 ? 'TransposeBackward0' : 'CloneBackward0';
  return presentAs(out, name, [a, b]);
}

/** `[..., m, k] @ [k, n]` (or `@ [k]`) as one `[batch * m, k] @ [k, n]` product, reshaped back. */
function foldedMatmul(a: Tensor, b: Tensor): Tensor {
  const lead = a.shape.slice(0, -1);
  const k = a.shape[a.shape.length - 1];
  if (b.shape[0] !== k) {
    const rows = numel(lead);
    throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${rows}x${k} and ${b.shape.length === 2 ? `${b.shape[0]}x${b.shape[1]}` : formatShape(b.shape)})`);
  }
  const flat = a.reshape([numel(lead), k]);
  if (b.shape.length === 1) return mm(flat, b.unsqueeze(1)).reshape(lead);
  return mm(flat, b).reshape([...lead, b.shape[1]]);
}

function mmChecked(a: Tensor, b: Tensor): Tensor {
  if (a.shape[1] !== b.shape[0]) {
    const fmt = (t: Tensor) => (t.shape.length === 2 ? `${t.shape[0]}x${t.shape[1]}` : formatShape(t.shape));
    throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${fmt(a)} and ${fmt(b)})`);
  }
  return mm(a, b);
}

const addmmForward: OpBody<'addmm', Tensor> = ([bias, a, b]) => {
  const product = k.matmul2(a, b);
  return k.binary('add', product, bias, product.shape, product.dtype);
};

/** `bias + a @ b` for 2-D `a` and `b` (bias broadcasts), as `torch.addmm`: what `nn.Linear` computes. */
export function addmm(bias: Tensor, a: Tensor, b: Tensor): Tensor {
  // As in matmul: int32 data written without a decimal point meets float32 weights by promotion.
  [a, b] = promotedForMatmul(a, b);
  if (a.shape.length !== 2 || b.shape.length !== 2) throw new RangeError('addmm(): mat1 and mat2 must be matrices');
  if (a.shape[1] !== b.shape[0]) {
    throw new RangeError(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  }
  checkMatmulDTypes(a, b);
  broadcastShapes(bias.shape, [a.shape[0], b.shape[1]]);
  return run('addmm', [bias.dtype === a.dtype ? bias : bias.to(a.dtype), a, b], NO_PARAMS, addmmForward);
}
