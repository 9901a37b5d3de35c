import type { Tensor } from '../tensor.js';
import { keywordArgs } from '../options.js';
import { arange, fromArray, full, zeros } from './creation.js';
import { indexSelect, scatterAddZeros, where } from './indexing.js';
import { presentAs } from './present-as.js';

/** A zero of `x`'s dtype on its device, so `where` keeps the dtype (a plain 0 would promote bool to int64). */
const zeroOf = (x: Tensor): Tensor => full([], 0, { dtype: x.dtype, device: x.device });

/** `[rows, cols]` bool: true where `col - row` compares with `diagonal` as `keep` says. */
function band(x: Tensor, diagonal: number, keep: 'lower' | 'upper'): Tensor {
  const [rows, cols] = x.shape.slice(-2);
  const r = arange(rows, { dtype: 'int64', device: x.device }).unsqueeze(1);
  const c = arange(cols, { dtype: 'int64', device: x.device }).unsqueeze(0);
  const offset = c.sub(r);
  return keep === 'lower' ? offset.le(diagonal) : offset.ge(diagonal);
}

/** PyTorch reads the last two dims, so a 1-D input fails as dim -2 would. */
function checkMatrix(x: Tensor): void {
  if (x.ndim < 2) throw new RangeError(`Dimension out of range (expected to be in range of [${-Math.max(x.ndim, 1)}, ${Math.max(x.ndim, 1) - 1}], but got -2)`);
}

/** The lower triangle (on and below `diagonal`) of the last two dims, zeros elsewhere, as `torch.tril`. */
export function tril(x: Tensor, diagonalOr: number | { diagonal?: number } = 0): Tensor {
  const diagonal = (keywordArgs('tril', diagonalOr, ['diagonal'])?.diagonal ?? diagonalOr) as number;
  checkMatrix(x);
  return presentAs(where(band(x, diagonal, 'lower'), x, zeroOf(x)), 'TrilBackward0', [x]);
}

/** The upper triangle (on and above `diagonal`) of the last two dims, zeros elsewhere, as `torch.triu`. */
export function triu(x: Tensor, diagonalOr: number | { diagonal?: number } = 0): Tensor {
  const diagonal = (keywordArgs('triu', diagonalOr, ['diagonal'])?.diagonal ?? diagonalOr) as number;
  checkMatrix(x);
  return presentAs(where(band(x, diagonal, 'upper'), x, zeroOf(x)), 'TriuBackward0', [x]);
}

/**
 * `torch.diag`: a 1-D input becomes the square matrix with it on `diagonal`; a 2-D input gives its `diagonal` as
 * 1-D. Built on index_select and its adjoint, so it is differentiable both ways.
 */
export function diag(x: Tensor, diagonalOr: number | { diagonal?: number } = 0): Tensor {
  const keywords = keywordArgs('diag', diagonalOr, ['diagonal']);
  const diagonal = (keywords === null ? diagonalOr : (keywords.diagonal ?? 0)) as number;
  if (x.ndim === 1) {
    const n = x.shape[0];
    const size = n + Math.abs(diagonal);
    const start = diagonal >= 0 ? diagonal : -diagonal * size;
    const index = arange(n, { dtype: 'int64', device: x.device }).mul(size + 1).add(start);
    return presentAs(scatterAddZeros([size * size], 0, index, x).view([size, size]), 'DiagBackward0', [x]);
  }
  if (x.ndim !== 2) throw new RangeError(`diag(): Supports 1D or 2D tensors. Got ${x.ndim}D`);
  const [rows, cols] = x.shape;
  const length = Math.max(0, diagonal >= 0 ? Math.min(rows, cols - diagonal) : Math.min(rows + diagonal, cols));
  if (length === 0) return zeros([0], { dtype: x.dtype, device: x.device });
  const start = diagonal >= 0 ? diagonal : -diagonal * cols;
  const index = arange(length, { dtype: 'int64', device: x.device }).mul(cols + 1).add(start);
  return presentAs(indexSelect(x.reshape([-1]), 0, index), 'DiagBackward0', [x]);
}

/** `torch.diagflat(x, offset=0)`: the flattened input on a diagonal of a square matrix. */
export function diagflat(x: Tensor, offset = 0): Tensor {
  return presentAs(diag(x.reshape([-1]), offset), 'DiagBackward0', [x]);
}

/**
 * `x.fill_diagonal_(value, wrap=False)`'s values: `value` on the main diagonal of a matrix (or of a tensor whose dims
 * are all equal), and for a tall matrix with `wrap` again every cols + 1 elements after it, as PyTorch's.
 */
export function filledDiagonal(x: Tensor, value: number, wrap = false): Tensor {
  if (x.ndim < 2) throw new RangeError('dimensions must larger than 1');
  if (x.ndim > 2 && x.shape.some((s) => s !== x.shape[0])) throw new RangeError('all dimensions of input must be of equal length');
  const n = x.numel();
  // In the flattened tensor the diagonal steps by the sum of the strides of a contiguous layout.
  const stepSize = x.shape.reduceRight((acc, _, i) => acc + x.shape.slice(i + 1).reduce((p, q) => p * q, 1), 0);
  const cols = x.shape[x.ndim - 1];
  const end = x.ndim === 2 && !wrap ? Math.min(n, cols * cols) : n;
  const mask = new Uint8Array(n);
  for (let k = 0; k < end; k += stepSize) mask[k] = 1;
  const onDiagonal = fromArray(mask, x.shape, { dtype: 'bool', device: x.device });
  // PyTorch fills a strided view of the diagonal: CopySlices.
  return presentAs(where(onDiagonal, full([], value, { dtype: x.dtype, device: x.device }), x), 'CopySlices', [x]);
}
