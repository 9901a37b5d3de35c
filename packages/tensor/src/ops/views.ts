import { contiguousStrides, isContiguous } from '@descent/backend';
import { checkOptionKeys, dimOnly, type DimOr } from '../options.js';
import { NO_PARAMS, run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import { formatShape, inferShape, normalizeDim, numel, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { markView } from './view-history.js';

/** A tensor sharing `x`'s storage with another shape, strides and offset: no data moves. */
export function viewOf(x: Tensor, shape: readonly number[], strides: readonly number[], offset = x._offset): Tensor {
  return new Tensor(x._storage, shape, strides, offset, x.dtype);
}

/**
 * Strides that let `newShape` view memory laid out as (`shape`, `strides`), or null when it spans two
 * non-mergeable chunks (PyTorch's computeStride).
 */
export function viewStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[]): number[] | null {
  if (numel(shape) === 0 || shape.length === 0) return contiguousStrides(newShape);
  const out = new Array<number>(newShape.length);
  let viewD = newShape.length - 1;
  let chunkBaseStride = strides[strides.length - 1];
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    tensorNumel *= shape[d];
    if (d === 0 || (shape[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBaseStride = strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? out : null;
}

const viewForward: OpBody<'view', Tensor> = ([x], { shape }) => {
  const strides = viewStrides(x.shape, x._strides, shape);
  if (!strides) {
    throw new Error(
      "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.",
    );
  }
  return viewOf(x, shape, strides);
};

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const resolved = inferShape(shape, numel(x.shape));
  return markView(run('view', [x], { shape: resolved }, viewForward), x, (t) => reshape(t, resolved));
}

/** A view when the memory allows one, otherwise a contiguous copy reshaped (as PyTorch's reshape). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const resolved = inferShape(shape, numel(x.shape));
  if (viewStrides(x.shape, x._strides, resolved)) {
    return markView(run('view', [x], { shape: resolved, as: 'reshapeAlias' }, viewForward), x, (t) => reshape(t, resolved));
  }
  const copy = clone(x);
  return markView(run('view', [copy], { shape: resolved, as: 'unsafeView' }, viewForward), copy, (t) => reshape(t, resolved));
}

export function flatten(x: Tensor, startOr: number | { startDim?: number; endDim?: number } = 0, endGiven = -1): Tensor {
  // `x.flatten(start_dim=1)` written `x.flatten({ startDim: 1 })`.
  if (typeof startOr === 'object') checkOptionKeys('flatten', startOr, ['startDim', 'endDim']);
  const [startDim, endDim] = typeof startOr === 'object' ? [startOr.startDim ?? 0, startOr.endDim ?? -1] : [startOr, endGiven];
  if (x.shape.length === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.shape.length);
  const e = normalizeDim(endDim, x.shape.length);
  if (s > e) throw new RangeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return x;
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

const expandForward: OpBody<'expand', Tensor> = ([x], { shape: target }) => {
  const lead = target.length - x.shape.length;
  const strides = target.map((size, i) => {
    const j = i - lead;
    return j < 0 || (x.shape[j] === 1 && size !== 1) ? 0 : x._strides[j];
  });
  return viewOf(x, target, strides);
};

export function expand(x: Tensor, sizes: readonly number[]): Tensor {
  if (sizes.length < x.shape.length) {
    throw new RangeError(
      `expand(${formatShape(x.shape)}, size=${formatShape(sizes)}): the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.shape.length})`,
    );
  }
  const lead = sizes.length - x.shape.length;
  const target = sizes.map((size, i) => {
    const j = i - lead;
    if (size === -1) {
      if (j < 0) throw new RangeError(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
      return x.shape[j];
    }
    if (j >= 0 && x.shape[j] !== 1 && x.shape[j] !== size) {
      throw new RangeError(
        `The expanded size of the tensor (${size}) must match the existing size (${x.shape[j]}) at non-singleton dimension ${i}.  Target sizes: ${formatShape(sizes)}.  Tensor sizes: ${formatShape(x.shape)}`,
      );
    }
    return size;
  });
  if (shapesEqual(target, x.shape)) return x;
  return markView(run('expand', [x], { shape: target }, expandForward), x, (t) => expand(t, target));
}

const permuteForward: OpBody<'permute', Tensor> = ([x], { dims }) =>
  viewOf(x, dims.map((d) => x.shape[d]), dims.map((d) => x._strides[d]));

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.shape.length) {
    throw new RangeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${x.shape.length} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const normalized = dims.map((d) => normalizeDim(d, x.shape.length));
  if (new Set(normalized).size !== normalized.length) throw new RangeError('permute(): duplicate dims are not allowed.');
  return markView(run('permute', [x], { dims: normalized }, permuteForward), x, (t) => permute(t, normalized));
}

function swapped(x: Tensor, d0: number, d1: number): Tensor {
  const shape = x.shape.slice();
  const strides = x._strides.slice();
  [shape[d0], shape[d1]] = [shape[d1], shape[d0]];
  [strides[d0], strides[d1]] = [strides[d1], strides[d0]];
  return viewOf(x, shape, strides);
}

const transposeForward: OpBody<'transpose', Tensor> = ([x], { dim0, dim1 }) => swapped(x, dim0, dim1);

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const rank = x.shape.length;
  const params = { dim0: normalizeDim(dim0, rank), dim1: normalizeDim(dim1, rank) };
  if (rank === 0) return x;
  return markView(run('transpose', [x], params, transposeForward), x, (t) => transpose(t, params.dim0, params.dim1));
}

const tForward: OpBody<'t', Tensor> = ([x]) => (x.shape.length < 2 ? viewOf(x, x.shape, x._strides) : swapped(x, 0, 1));

export function t(x: Tensor): Tensor {
  if (x.shape.length > 2) {
    throw new RangeError(`t() expects a tensor with <= 2 dimensions, but self is ${x.shape.length}D`);
  }
  return markView(run('t', [x], NO_PARAMS, tForward), x, t);
}

const unsqueezeForward: OpBody<'unsqueeze', Tensor> = ([x], { dim }) => {
  const d = dim;
  const shape = x.shape.slice();
  const strides = x._strides.slice();
  const stride = d < x.shape.length ? x.shape[d] * x._strides[d] : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  return viewOf(x, shape, strides);
};

export function unsqueeze(x: Tensor, dimOr: DimOr<number>): Tensor {
  const dim = dimOnly('unsqueeze', dimOr, 'required');
  const d = normalizeDim(dim, x.shape.length + 1);
  return markView(run('unsqueeze', [x], { dim: d }, unsqueezeForward), x, (v) => unsqueeze(v, d));
}

const squeezeForward: OpBody<'squeeze', Tensor> = ([x], { dims }) => {
  const keep = x.shape.map((_, i) => i).filter((i) => !(dims.includes(i) && x.shape[i] === 1));
  return viewOf(x, keep.map((i) => x.shape[i]), keep.map((i) => x._strides[i]));
};

/** Removes size-1 dims: all of them, or only `dim` (a no-op when that dim is not 1). */
export function squeeze(x: Tensor, dimOr?: DimOr<number>): Tensor {
  const dim = dimOnly('squeeze', dimOr);
  const dims = dim === undefined ? x.shape.map((_, i) => i) : x.shape.length === 0 ? [] : [normalizeDim(dim, x.shape.length)];
  return markView(run('squeeze', [x], { dims, dimGiven: dim !== undefined }, squeezeForward), x, (v) => squeeze(v, dim));
}

const sliceForward: OpBody<'slice', Tensor> = ([x], { dim, start, step, length }) => {
  const d = dim;
  const sizes = x.shape.slice();
  const strides = x._strides.slice();
  sizes[d] = length;
  strides[d] = x._strides[d] * step;
  return viewOf(x, sizes, strides, x._offset + start * x._strides[d]);
};

/** Python's `x[start:stop:step]` along `dim`, with Python's clamping of out-of-range bounds. */
export function slice(x: Tensor, dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  if (x.shape.length === 0) throw new RangeError('slice() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, x.shape.length);
  if (!Number.isInteger(step) || step <= 0) throw new RangeError('slice step must be positive');
  const size = x.shape[d];
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = start === null ? 0 : clampIndex(start);
  const e = end === null ? size : clampIndex(end);
  const length = e > s ? Math.ceil((e - s) / step) : 0;
  const out = run('slice', [x], { dim: d, start: s, step, length }, sliceForward);
  return markView(out, x, (v) => slice(v, d, s, s + length * step, step));
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.shape.length);
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (s < 0 || s > size || length < 0 || s + length > size) {
    throw new RangeError(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return slice(x, d, s, s + length);
}

const selectForward: OpBody<'select', Tensor> = ([x], { dim, index }) => {
  const d = dim;
  const shape = x.shape.filter((_, i) => i !== d);
  const strides = x._strides.filter((_, i) => i !== d);
  return viewOf(x, shape, strides, x._offset + index * x._strides[d]);
};

/** `x[..., index, ...]` along `dim`: removes the dim. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.shape.length === 0) throw new RangeError('select() cannot be applied to a 0-dim tensor.');
  const d = normalizeDim(dim, x.shape.length);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`index ${index} is out of bounds for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  return markView(run('select', [x], { dim: d, index: i }, selectForward), x, (v) => select(v, d, i));
}

const cloneForward: OpBody<'clone', Tensor> = ([x]) => k.copyContiguous(x);

export function clone(x: Tensor): Tensor {
  return run('clone', [x], NO_PARAMS, cloneForward);
}

export function contiguous(x: Tensor): Tensor {
  return isContiguous(x._view()) ? x : clone(x);
}
