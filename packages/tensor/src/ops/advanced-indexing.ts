import { broadcastShapes, formatShape, normalizeDim, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange, full, tensor } from './creation.js';
import { index, indexSelect, scatterAddZeros, where, type IndexSpec } from './indexing.js';
import { reshape } from './views.js';
import { indexWithTensors, linearize, resolveSpecs, type AdvancedSpec } from './multi-index.js';
import { presentAs } from './present-as.js';

/**
 * Indexing with tensors, as Python's `x[mask]` and `x[idx]`: a bool mask over the leading dims selects the true
 * entries (masked_select), an integer tensor picks along one dim. Both read the index's values where that is
 * synchronous (the CPU), as PyTorch's CUDA does with a device sync; the result is a differentiable index_select.
 */

/** The mask's values, or PyTorch-like guidance where the device cannot be read at once. */
function hostValues(t: Tensor, what: string): number[] {
  if (!t.device.supports('readSync')) {
    throw new Error(
      `${what} needs the index's values on the host, and '${t.device}' tensors are read asynchronously: ` +
        `index with a CPU tensor (await mask.toAsync('cpu')), or use where()/maskedFill() to stay on the device`,
    );
  }
  return Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
}

/** Flat positions of the true entries of a bool mask (row-major), as int64 on `device`'s side of `like`. */
function truePositions(mask: Tensor, like: Tensor): Tensor {
  const values = hostValues(mask, 'boolean mask indexing');
  const positions: number[] = [];
  values.forEach((v, i) => v && positions.push(i));
  return tensor(positions, { dtype: 'int64', device: like.device });
}

/** `x[mask]` for a bool mask shaped like `x`'s first `mask.ndim` dims: `[count, ...rest]`. */
export function indexWithMask(x: Tensor, mask: Tensor, dim = 0): Tensor {
  const k = mask.ndim;
  for (let i = 0; i < k; i++) {
    if (x.shape[dim + i] !== mask.shape[i]) {
      throw new RangeError(
        `The shape of the mask ${formatShape(mask.shape)} at index ${i} does not match the shape of the indexed tensor ${formatShape(x.shape)} at index ${dim + i}`,
      );
    }
  }
  const lead = x.shape.slice(0, dim);
  const rest = x.shape.slice(dim + k);
  const flat = reshape(x, [...lead, mask.numel(), ...rest]);
  return indexSelect(flat, dim, truePositions(mask, x));
}

/** `x[idx]` along `dim` for an integer tensor (negative entries count from the end): `[...lead, ...idx.shape, ...rest]`. */
export function indexWithTensor(x: Tensor, idx: Tensor, dim = 0): Tensor {
  const size = x.shape[dim];
  const values = hostValues(idx, 'integer tensor indexing');
  const wrapped = values.map((v) => {
    if (v < -size || v >= size) throw new RangeError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`);
    return v < 0 ? v + size : v;
  });
  const picked = indexSelect(x, dim, tensor(wrapped, { dtype: 'int64', device: x.device }));
  return reshape(picked, [...x.shape.slice(0, dim), ...idx.shape, ...x.shape.slice(dim + 1)]);
}

/** `torch.masked_select(x, mask)`: the elements where the (broadcast) mask is true, as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new TypeError(`masked_select: expected BoolTensor for mask`);
  const shape = x.shape.length >= mask.shape.length ? x.shape : mask.shape;
  const xs = x.expand(shape);
  const ms = mask.expand(shape).contiguous();
  return presentAs(indexWithMask(reshape(xs, [-1]), reshape(ms, [-1])), 'MaskedSelectBackward0', [x]);
}

/** `torch.nonzero(x)`: the indices of the nonzero entries, one row per entry, `[count, ndim]` int64. */
export function nonzero(x: Tensor): Tensor {
  const values = hostValues(x, 'nonzero');
  const rows: number[] = [];
  const strides = x.shape.map((_, d) => x.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  values.forEach((v, i) => {
    if (v !== 0) for (const s of strides.map((st, d) => Math.floor(i / st) % x.shape[d])) rows.push(s);
  });
  return reshape(tensor(rows, { dtype: 'int64', device: x.device }), [rows.length / Math.max(x.ndim, 1), x.ndim]);
}

/** `x.index_fill(dim, index, value)`: `value` in every slice of `dim` that `index` names. */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: number): Tensor {
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d];
  const hit = arange(size, { dtype: 'int64', device: x.device }).unsqueeze(1).eq(index.reshape([1, -1])).any(1);
  const mask = reshape(hit, x.shape.map((s, i) => (i === d ? s : 1)));
  return presentAs(where(mask, full([], value, { dtype: x.dtype, device: x.device }), x), 'IndexFillBackward0', [x]);
}

/**
 * `values` broadcast to `target`, the shape the indices read (leading size-1 dims beyond it dropped first, as
 * PyTorch does), with index_put_'s error where they do not broadcast.
 */
export function valuesFor(values: Tensor, target: readonly number[]): Tensor {
  let v = values;
  while (v.ndim > target.length && v.shape[0] === 1) v = v.squeeze(0);
  let ok = v.ndim <= target.length;
  if (ok) {
    try {
      ok = shapesEqual(broadcastShapes(v.shape, target), target);
    } catch {
      ok = false;
    }
  }
  if (!ok) {
    throw new RangeError(`shape mismatch: value tensor of shape ${formatShape(values.shape)} cannot be broadcast to indexing result of shape ${formatShape(target)}`);
  }
  return v.expand(target);
}

/**
 * `x.index_put(indices, values, accumulate)` for one index, a bool mask shaped like `x` or an integer tensor along
 * dim 0 (PyTorch's `x[mask] = v`, `x[idx] = v`, `x[idx] += v` with `accumulate`).
 */
export function indexPut(x: Tensor, indices: readonly Tensor[], values: Tensor | number, accumulate = false): Tensor {
  return presentAs(putAt(x, indices, values, accumulate), 'IndexPutBackward0', [x]);
}

function putAt(x: Tensor, indices: readonly Tensor[], values: Tensor | number, accumulate: boolean): Tensor {
  if (indices.length === 0) throw new RangeError('index_put: expected at least one index tensor');
  const [index] = indices;
  // Several tensors, an n-d integer index or a byte mask: the general path, which broadcasts the values to the
  // shape the indices read.
  if (indices.length > 1 || index.dtype === 'uint8' || (index.dtype !== 'bool' && index.ndim !== 1)) return indexPutSeveral(x, indices, values, accumulate);
  const rest = index.dtype === 'bool' ? x.shape.slice(index.ndim) : x.shape.slice(1);
  const rows = index.dtype === 'bool' ? index.numel() : x.shape[0];
  const flat = reshape(x, [rows, ...rest]);
  const host = index.dtype === 'bool' ? truePositionList(index) : wrappedIndex(index, rows);
  const v = typeof values === 'number' ? full([], values, { dtype: x.dtype, device: x.device }) : values.to(x.dtype);
  let placed = valuesFor(v, [host.length, ...rest]).contiguous();
  const kept = accumulate || index.dtype === 'bool' ? null : lastWrites(host);
  if (kept !== null && kept.length < host.length) {
    // Replacing, a position written twice keeps its last value, as PyTorch's CPU loop does; an overwritten value
    // writes zero but, as with PyTorch's IndexPutBackward0, still gets the gradient at its position.
    const keep = new Array<boolean>(host.length).fill(false);
    for (const k of kept) keep[k] = true;
    const keepMask = tensor(keep, { dtype: 'bool', device: x.device }).reshape([host.length, ...rest.map(() => 1)]);
    placed = where(keepMask, placed, where(placed.isfinite(), placed.sub(placed.detach()), 0));
  }
  const positions = tensor(host, { dtype: 'int64', device: x.device });
  const count = host.length;
  const scatterIndex = positions.reshape([count, ...rest.map(() => 1)]).expand([count, ...rest]);
  const added = scatterAddZeros([rows, ...rest], 0, scatterIndex, placed);
  if (accumulate) return reshape(flat.add(added), x.shape);
  // Replace: clear the written rows, then add the new values in (each row written once).
  const written = scatterAddZeros([rows], 0, positions, full([count], 1, { dtype: 'int32', device: x.device })).gt(0);
  const cleared = where(reshape(written, [rows, ...rest.map(() => 1)]), full([], 0, { dtype: x.dtype, device: x.device }), flat);
  return reshape(cleared.add(added), x.shape);
}

/**
 * `x[i, j] = v` (index_put with several index tensors, each indexing the next dims from 0): the indexed dims merged
 * into one, the tensors' positions in it, then the one-index put along it.
 */
function indexPutSeveral(x: Tensor, indices: readonly Tensor[], values: Tensor | number, accumulate: boolean): Tensor {
  const targets: { dim: number; tensor: Tensor }[] = [];
  let dim = 0;
  for (const t of indices) {
    targets.push({ dim, tensor: t });
    dim += t.dtype === 'bool' || t.dtype === 'uint8' ? t.ndim : 1;
  }
  if (dim > x.ndim) throw new RangeError(`too many indices for tensor of dimension ${x.ndim} (got ${dim})`);
  const { sizes, shape, linear } = linearize(x.shape, targets);
  const rest = x.shape.slice(dim);
  const rows = sizes.reduce((a, c) => a * c, 1);
  const v = typeof values === 'number' ? values : valuesFor(values.to(x.dtype), [...shape, ...rest]).reshape([linear.length, ...rest]);
  const put = indexPut(reshape(x, [rows, ...rest]), [tensor(linear, { dtype: 'int64', device: x.device })], v, accumulate);
  return reshape(put, x.shape);
}

/** The entries of `positions` that write last to their position, in order. */
function lastWrites(positions: readonly number[]): number[] {
  const lastAt = new Map<number, number>();
  positions.forEach((p, k) => lastAt.set(p, k));
  return positions.map((_, k) => k).filter((k) => lastAt.get(positions[k]) === k);
}

/** The flat positions of a bool mask's true entries (row-major). */
function truePositionList(mask: Tensor): number[] {
  const positions: number[] = [];
  hostValues(mask, 'boolean mask indexing').forEach((v, i) => v && positions.push(i));
  return positions;
}

function wrappedIndex(index: Tensor, size: number): number[] {
  if (index.dtype !== 'int64') throw new TypeError('tensors used as indices must be long, byte or bool tensors');
  return hostValues(index, 'index_put').map((v) => {
    if (v < -size || v >= size) throw new RangeError(`index ${v} is out of bounds for dimension 0 with size ${size}`);
    return v < 0 ? v + size : v;
  });
}

/**
 * `x.index(...)`: basic indexing (integers, slices, null, '...') as views, and with tensors or arrays among the
 * specs PyTorch's advanced indexing (./multi-index.ts). An array of numbers is an index tensor, as Python's list.
 */
export function indexWithSpecs(x: Tensor, specs: readonly AdvancedSpec[]): Tensor {
  const resolved = resolveSpecs(specs, x);
  if (!resolved.some((s) => s instanceof Tensor)) return index(x, ...(resolved as IndexSpec[]));
  return presentAs(indexWithTensors(x, resolved), 'IndexBackward0', [x]);
}
