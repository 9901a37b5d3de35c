import type { DType } from '@descent/backend';
import { formatShape, normalizeDim, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { DeviceLike } from '../device.js';
import { arange, tensor } from './creation.js';
import { indexSelect, scatterAddZeros } from './indexing.js';
import { movedim } from './reshaping.js';
import { reshape } from './views.js';
import { scatter } from './scatter.js';
import { sum } from './reduction.js';
import { presentAs } from './present-as.js';

// Diagonals of any two dims (diagonal, diag_embed, trace) and the index lists of a triangle (triu_indices,
// tril_indices). The two dims are moved last and flattened, so a diagonal is an index_select with stride
// `cols + 1` and its embedding the matching scatter-add into zeros: both differentiable, on every backend.

function diagonalLength(rows: number, cols: number, offset: number): number {
  return Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
}

function checkDims(d1: number, d2: number): void {
  if (d1 === d2) throw new RangeError(`diagonal dimensions cannot be identical ${d1}, ${d2}`);
}

/** `torch.diagonal(x, offset=0, dim1=0, dim2=1)`: the diagonal of dims `dim1` and `dim2`, as the last dim. */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = normalizeDim(dim1, x.ndim);
  const d2 = normalizeDim(dim2, x.ndim);
  checkDims(d1, d2);
  const moved = movedim(x, [d1, d2], [-2, -1]);
  const [rows, cols] = moved.shape.slice(-2);
  const batch = moved.shape.slice(0, -2);
  return presentAs(indexSelect(reshape(moved, [...batch, rows * cols]), -1, diagonalIndex(moved, offset)), 'DiagonalBackward0', [x]);
}

/** Where the diagonal at `offset` lies in the flattened last two dims of `moved`. */
function diagonalIndex(moved: Tensor, offset: number): Tensor {
  const [rows, cols] = moved.shape.slice(-2);
  const length = diagonalLength(rows, cols, offset);
  const start = offset >= 0 ? offset : -offset * cols;
  return arange(length, { dtype: 'int64', device: moved.device }).mul(cols + 1).add(start);
}

/**
 * `torch.diagonal_scatter(input, src, offset=0, dim1=0, dim2=1)`: input with src as that diagonal, written by a
 * scatter into the flattened matrices (diagonal here gathers, it is no view to write through).
 */
export function diagonalScatter(x: Tensor, src: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const d1 = normalizeDim(dim1, x.ndim);
  const d2 = normalizeDim(dim2, x.ndim);
  checkDims(d1, d2);
  const moved = movedim(x, [d1, d2], [-2, -1]);
  const [rows, cols] = moved.shape.slice(-2);
  const batch = moved.shape.slice(0, -2);
  const index = diagonalIndex(moved, offset);
  const viewShape = [...batch, index.shape[0]];
  if (!shapesEqual(viewShape, src.shape)) {
    throw new RangeError(`expected src to have a size equal to the slice of self. src size = ${formatShape(src.shape)}, slice size = ${formatShape(viewShape)}`);
  }
  const flat = reshape(moved, [...batch, rows * cols]);
  const filled = scatter(flat, -1, index.reshape([...batch.map(() => 1), index.shape[0]]).expand(viewShape), src.to(x.dtype));
  return presentAs(movedim(reshape(filled, moved.shape), [-2, -1], [d1, d2]), 'DiagonalScatterBackward0', [x, src]);
}

/** `torch.diag_embed(x, offset=0, dim1=-2, dim2=-1)`: the last dim of `x` placed on a diagonal of two new dims. */
export function diagEmbed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  const rank = x.ndim + 1;
  const d1 = normalizeDim(dim1, rank);
  const d2 = normalizeDim(dim2, rank);
  checkDims(d1, d2);
  const n = x.shape[x.ndim - 1] ?? 1;
  const input = x.ndim === 0 ? reshape(x, [1]) : x;
  const size = n + Math.abs(offset);
  const batch = input.shape.slice(0, -1);
  const start = offset >= 0 ? offset : -offset * size;
  const flat = arange(n, { dtype: 'int64', device: x.device }).mul(size + 1).add(start);
  const index = flat.reshape([...batch.map(() => 1), n]).expand(input.shape);
  const square = reshape(scatterAddZeros([...batch, size * size], -1, index, input), [...batch, size, size]);
  return presentAs(movedim(square, [rank - 2, rank - 1], [d1, d2]), 'DiagEmbedBackward0', [x]);
}

/** `torch.trace(x)`: the sum of a matrix's diagonal (integers give int64). */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new RangeError(`trace: expected a matrix, but got tensor with dim ${x.ndim}`);
  return presentAs(sum(diagonal(x)), 'TraceBackward0', [x]);
}

export interface IndicesOptions {
  dtype?: DType;
  device?: DeviceLike;
}

function triangleIndices(row: number, col: number, offset: number, upper: boolean, options: IndicesOptions): Tensor {
  const rows: number[] = [];
  const cols: number[] = [];
  for (let i = 0; i < row; i++) {
    for (let j = 0; j < col; j++) {
      if (upper ? j - i >= offset : j - i <= offset) {
        rows.push(i);
        cols.push(j);
      }
    }
  }
  return reshape(tensor([...rows, ...cols], { dtype: options.dtype ?? 'int64', device: options.device }), [2, rows.length]);
}

/** `torch.triu_indices(row, col, offset=0)`: the [2, N] coordinates of the upper triangle, row by row. */
export const triuIndices = (row: number, col: number, offset = 0, options: IndicesOptions = {}): Tensor =>
  triangleIndices(row, col, offset, true, options);

/** `torch.tril_indices(row, col, offset=0)`: the [2, N] coordinates of the lower triangle, row by row. */
export const trilIndices = (row: number, col: number, offset = 0, options: IndicesOptions = {}): Tensor =>
  triangleIndices(row, col, offset, false, options);
