import type { DType } from '@descent/backend';
import { isFloating, scalarTypeName } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { norm as pNorm } from './norms.js';
import { amax, amin, sum } from './reduction.js';
import { presentAs } from './present-as.js';
import { svdvalsOver } from './linalg-spectral.js';

// torch.linalg's vector_norm, matrix_norm and norm on top of `torch.norm`'s p-norms and sums of magnitudes; the
// matrix 2-norm and nuclear norm from the singular values.

export interface LinalgNormOptions {
  keepdim?: boolean;
  /** Compute in this dtype (the input is converted first), as PyTorch's `dtype=`. */
  dtype?: DType;
}

function floating(name: string, x: Tensor, dtype: DType | undefined): Tensor {
  const input = dtype === undefined ? x : x.to(dtype);
  if (!isFloating(input.dtype)) throw new TypeError(`${name}: Expected a floating point or complex tensor as input. Got ${scalarTypeName(input.dtype)}`);
  return input;
}

/** `torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None)`: the p-norm of the elements over `dim`. */
export function vectorNorm(x: Tensor, ord = 2, dim: number | readonly number[] | null = null, options: LinalgNormOptions = {}): Tensor {
  checkOptionKeys('vector_norm', options, ['keepdim', 'dtype']);
  const input = floating('linalg.vector_norm', x, options.dtype);
  return presentAs(pNorm(input, ord, dim, { keepdim: options.keepdim ?? false }), 'LinalgVectorNormBackward0', [x]);
}

export type MatrixNormOrder = 'fro' | 'nuc' | number;

/**
 * `torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False)`: Frobenius, the largest (1, inf) or smallest
 * (-1, -inf) column or row sum of magnitudes, the largest (2) or smallest (-2) singular value, or their sum ('nuc').
 */
export function matrixNorm(a: Tensor, ord: MatrixNormOrder = 'fro', dim: readonly number[] = [-2, -1], options: LinalgNormOptions = {}): Tensor {
  checkOptionKeys('matrix_norm', options, ['keepdim', 'dtype']);
  const input = floating('linalg.matrix_norm', a, options.dtype);
  if (input.ndim < 2) throw new RangeError('linalg.matrix_norm: The input tensor A must have at least 2 dimensions.');
  const keepdim = options.keepdim ?? false;
  const [d0, d1] = normalizeDims(dim, input.ndim);
  if (ord === 'fro') return presentAs(pNorm(input, 'fro', [d0, d1], { keepdim }), 'LinalgVectorNormBackward0', [a]);
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    const values = svdvalsOver(input, d0, d1);
    const reduced = ord === 'nuc' ? sum(values, -1) : (ord === 2 ? amax : amin)(values, -1);
    const shaped = keepdim ? reduced.unsqueeze(Math.min(d0, d1)).unsqueeze(Math.max(d0, d1)) : reduced;
    // With keepdim PyTorch moves the kept dims back in place last (PermuteBackward0).
    return presentAs(shaped, keepdim ? 'PermuteBackward0' : ord === 'nuc' ? 'SumBackward1' : ord === 2 ? 'AmaxBackward0' : 'AminBackward0', [a]);
  }
  if (![1, -1, Infinity, -Infinity].includes(ord)) throw new RangeError(`linalg.matrix_norm: Order ${ord} not supported.`);
  // ord 1 sums down columns (over the rows, d0) then takes the max over d1; inf sums along rows.
  const [summed, over] = Math.abs(ord) === 1 ? [d0, d1] : [d1, d0];
  const sums = sum(input.abs(), summed, { keepdim: true });
  const picked = (ord > 0 ? amax : amin)(sums, over, { keepdim: true });
  // PyTorch's max (min) reduces the dim away itself: its amax (amin) node is the last.
  return presentAs(keepdim ? picked : picked.squeeze(Math.max(d0, d1)).squeeze(Math.min(d0, d1)), ord > 0 ? 'AmaxBackward0' : 'AminBackward0', [a]);
}

/**
 * `torch.linalg.norm(A, ord=None, dim=None, keepdim=False)`: the vector norm over one dim (or all, flattened, when
 * neither ord nor dim is given), the matrix norm over two.
 */
export function linalgNorm(a: Tensor, ord: MatrixNormOrder | null = null, dim: number | readonly number[] | null = null, options: LinalgNormOptions = {}): Tensor {
  checkOptionKeys('norm', options, ['keepdim', 'dtype']);
  if (dim === null && ord !== null && a.ndim !== 1 && a.ndim !== 2) {
    throw new RangeError(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${a.ndim}D.`);
  }
  const dims = dim === null ? (ord === null ? null : a.shape.map((_, i) => i)) : typeof dim === 'number' ? [dim] : dim;
  if (dims !== null && dims.length === 2) return matrixNorm(a, ord ?? 'fro', dims, options);
  if (typeof ord === 'string') throw new RangeError(`linalg.norm: ord '${ord}' needs a matrix: pass two dims`);
  return vectorNorm(a, ord ?? 2, dims, options);
}
