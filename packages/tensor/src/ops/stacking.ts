import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { promoteTypes } from '../dtype.js';
import { full } from './creation.js';
import { cat } from './indexing.js';
import { narrow, reshape, unsqueeze } from './views.js';
import { presentAs } from './present-as.js';

// hstack/vstack/dstack/column_stack and their splitting counterparts, as PyTorch defines them: atleast_Nd, then
// cat or narrow along the matching dim; block_diag places each matrix between zero blocks.

export function atleast1d(x: Tensor): Tensor {
  return x.ndim === 0 ? reshape(x, [1]) : x;
}

export function atleast2d(x: Tensor): Tensor {
  if (x.ndim === 0) return reshape(x, [1, 1]);
  return x.ndim === 1 ? unsqueeze(x, 0) : x;
}

export function atleast3d(x: Tensor): Tensor {
  if (x.ndim === 0) return reshape(x, [1, 1, 1]);
  if (x.ndim === 1) return reshape(x, [1, x.shape[0], 1]);
  return x.ndim === 2 ? unsqueeze(x, 2) : x;
}

function checkList(name: string, tensors: readonly Tensor[]): void {
  if (tensors.length === 0) throw new RangeError(`${name} expects a non-empty TensorList`);
}

/** `torch.hstack`: cat along dim 1, or dim 0 for 1-D inputs. */
export function hstack(tensors: readonly Tensor[]): Tensor {
  checkList('hstack', tensors);
  const parts = tensors.map(atleast1d);
  return cat(parts, parts[0].ndim === 1 ? 0 : 1);
}

/** `torch.vstack` (`row_stack`): 1-D inputs become rows, then cat along dim 0. */
export function vstack(tensors: readonly Tensor[]): Tensor {
  checkList('vstack', tensors);
  return cat(tensors.map(atleast2d), 0);
}

/** `torch.dstack`: cat along dim 2 of the inputs made at least 3-D. */
export function dstack(tensors: readonly Tensor[]): Tensor {
  checkList('dstack', tensors);
  return cat(tensors.map(atleast3d), 2);
}

/** `torch.column_stack`: 0-D and 1-D inputs become columns, then cat along dim 1. */
export function columnStack(tensors: readonly Tensor[]): Tensor {
  checkList('column_stack', tensors);
  return cat(tensors.map((t) => (t.ndim <= 1 ? reshape(t, [t.numel(), 1]) : t)), 1);
}

/**
 * `torch.tensor_split(x, sections_or_indices, dim)`: `n` sections (the first `size % n` one longer), or splits
 * before each index (clamped to the size, so parts may be empty). Every part is a view.
 */
export function tensorSplit(x: Tensor, sectionsOrIndices: number | readonly number[], dim = 0): Tensor[] {
  if (x.ndim === 0) throw new RangeError('tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims');
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  let bounds: number[];
  if (typeof sectionsOrIndices === 'number') {
    const n = sectionsOrIndices;
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`number of sections must be larger than 0, got ${n}`);
    const base = Math.floor(size / n);
    const extra = size % n;
    bounds = [0];
    for (let i = 0; i < n; i++) bounds.push(bounds[i] + base + (i < extra ? 1 : 0));
  } else {
    const clamp = (i: number) => Math.min(size, Math.max(0, i < 0 ? i + size : i));
    bounds = [0, ...sectionsOrIndices.map(clamp), size];
  }
  const parts: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i];
    parts.push(narrow(x, d, start, Math.max(0, bounds[i + 1] - start)));
  }
  return parts;
}

function splitAlong(name: string, x: Tensor, sections: number | readonly number[], dim: number, minDims: number): Tensor[] {
  if (x.ndim < minDims) {
    throw new RangeError(`torch.${name} requires a tensor with at least ${minDims} dimension, but got a tensor with ${x.ndim} dimensions!`);
  }
  if (typeof sections === 'number') {
    const size = x.shape[dim];
    if (sections === 0 || size % sections !== 0) {
      throw new RangeError(
        `torch.${name} attempted to split along dimension ${dim}, but the size of the dimension ${size} is not divisible by the split_size ${sections}!`,
      );
    }
  }
  return tensorSplit(x, sections, dim);
}

/** `torch.hsplit`: `tensor_split` along dim 1 (dim 0 for 1-D), equal parts only when given a count. */
export const hsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => splitAlong('hsplit', x, sections, x.ndim === 1 ? 0 : 1, 1);
export const vsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => splitAlong('vsplit', x, sections, 0, 2);
export const dsplit = (x: Tensor, sections: number | readonly number[]): Tensor[] => splitAlong('dsplit', x, sections, 2, 3);

/** `torch.block_diag(*tensors)`: the inputs (0-D and 1-D as one row) on the diagonal of a zero matrix. */
export function blockDiag(...tensors: Tensor[]): Tensor {
  const mats = tensors.map((t, i) => {
    if (t.ndim > 2) throw new RangeError(`torch.block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.ndim} dimensions`);
    return atleast2d(t);
  });
  if (mats.length === 0) return full([1, 0], 0, { dtype: 'float32' });
  const dtype = mats.map((m) => m.dtype).reduce(promoteTypes);
  const device = mats[0].device;
  const width = mats.reduce((n, m) => n + m.shape[1], 0);
  let before = 0;
  const rows = mats.map((m) => {
    const [r, c] = m.shape;
    const parts = [full([r, before], 0, { dtype, device }), m.to(dtype), full([r, width - before - c], 0, { dtype, device })];
    before += c;
    return cat(parts, 1);
  });
  return presentAs(cat(rows, 0), 'BlockDiagBackward0', tensors);
}
