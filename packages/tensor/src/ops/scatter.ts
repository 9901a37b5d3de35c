import { checkOptionKeys } from '../options.js';
import { scalarTypeName } from '../dtype.js';
import { broadcastShapes, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { gather, indexSelect, scatterAddZeros, where } from './indexing.js';
import { expand, narrow, reshape } from './views.js';
import { presentAs } from './present-as.js';

// scatter, index_add, index_copy, take and take_along_dim, written with gather and the differentiable scatter-add
// into zeros: a scatter that replaces values is `where(written, scattered, x)`. Duplicate indices, whose winner
// PyTorch leaves unspecified for scatter and index_copy, are summed; `reduce: 'add'` is exact with duplicates.

export interface ScatterOptions {
  reduce?: 'add' | 'multiply';
}

/** `scatter`'s keyword form: `x.scatter_(0, index, value=1)` as `x.scatter_(0, index, { value: 1 })`, or `{ src }`. */
export interface ScatterValueOptions extends ScatterOptions {
  value?: number;
  src?: Tensor;
}

function checkIndex(name: string, index: Tensor, int32 = false): void {
  if (index.dtype !== 'int64' && !(int32 && index.dtype === 'int32')) {
    throw new TypeError(`${name}(): Expected dtype int64 for index`);
  }
}

/** Where `index` writes into a tensor of `shape` along `dim`, and the values it writes there. */
function scattered(shape: readonly number[], dim: number, index: Tensor, src: Tensor): [Tensor, Tensor] {
  const ones = full(index.shape, 1, { dtype: 'float32', device: index.device });
  return [scatterAddZeros(shape, dim, index, ones).gt(0), scatterAddZeros(shape, dim, index, src)];
}

/**
 * `torch.scatter(x, dim, index, src_or_value, reduce=None)`: `x` with `src[i][j]` (or `value`) written at
 * `index[i][j]` along `dim`; `reduce` adds or multiplies instead of replacing.
 */
export function scatter(x: Tensor, dim: number, index: Tensor, srcOrOptions: Tensor | number | ScatterValueOptions, options: ScatterOptions = {}): Tensor {
  let src: Tensor | number;
  if (srcOrOptions instanceof Tensor || typeof srcOrOptions === 'number') {
    checkOptionKeys('scatter', options, ['reduce']);
    src = srcOrOptions;
  } else {
    checkOptionKeys('scatter', srcOrOptions, ['reduce', 'value', 'src']);
    const given = srcOrOptions.src ?? srcOrOptions.value;
    if (given === undefined || (srcOrOptions.src !== undefined && srcOrOptions.value !== undefined)) throw new TypeError('scatter() expected one of src or value');
    src = given;
    options = { reduce: srcOrOptions.reduce };
  }
  checkIndex('scatter', index);
  const d = normalizeDim(dim, x.ndim);
  // A 0-d index (and source) counts as 1-D, as ATen's ensure_nonempty_dim does: `scatter_(0, tensor(3), 1)` on a vector.
  if (index.ndim === 0 && x.ndim <= 1) {
    index = index.reshape([1]);
    if (src instanceof Tensor && src.ndim === 0) src = src.reshape([1]);
  }
  if (index.ndim !== x.ndim && index.numel() > 0) throw new RangeError('Index tensor must have the same number of dimensions as self tensor');
  let values: Tensor;
  if (src instanceof Tensor) {
    if (src.dtype !== x.dtype) throw new TypeError(`scatter(): Expected self.dtype to be equal to src.dtype`);
    values = src;
    index.shape.forEach((s, i) => (values = values.shape[i] === s ? values : narrow(values, i, 0, s)));
  } else {
    values = full(index.shape, src, { dtype: x.dtype, device: x.device });
  }
  const { reduce } = options;
  if (reduce !== undefined && reduce !== 'add' && reduce !== 'multiply') {
    throw new RangeError('reduce argument must be either add or multiply.');
  }
  if (reduce === 'add') return x.add(scatterAddZeros(x.shape, d, index, values));
  const [written, placed] = scattered(x.shape, d, index, values);
  if (reduce === 'multiply') return where(written, x.mul(placed), x);
  return presentAs(where(written, placed, x), src instanceof Tensor ? 'ScatterBackward0' : 'ScatterBackward1', [x]);
}

/** `index` (1-D) as a `shape`-sized index along `dim`, for the scatter-add of index_add and index_copy. */
function expandIndex(name: string, index: Tensor, shape: readonly number[], dim: number): Tensor {
  checkIndex(name, index, true);
  if (index.ndim > 1) throw new RangeError(`${name}_(): Index is supposed to be a vector`);
  const flat = reshape(index, [-1]);
  if (shape[dim] !== flat.shape[0]) {
    throw new RangeError(`${name}_(): Number of indices (${flat.shape[0]}) should be equal to source.size(dim) (${shape[dim]})`);
  }
  return expand(reshape(flat, shape.map((s, i) => (i === dim ? s : 1))), shape);
}

function sourceOf(x: Tensor, source: Tensor): Tensor {
  if (source.ndim !== x.ndim) throw new RangeError('index_add_(): Source/destination tensor must have same slice shapes.');
  return source.dtype === x.dtype ? source : source.to(x.dtype);
}

/** `torch.index_add(x, dim, index, source, alpha=1)`: `source`'s slices added at `index` along `dim`. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, options: { alpha?: number } = {}): Tensor {
  checkOptionKeys('index_add', options, ['alpha']);
  const d = normalizeDim(dim, x.ndim);
  const src = sourceOf(x, source);
  const idx = expandIndex('index_add', index, src.shape, d);
  const alpha = options.alpha ?? 1;
  return presentAs(x.add(scatterAddZeros(x.shape, d, idx, alpha === 1 ? src : src.mul(alpha))), 'IndexAddBackward0', [x]);
}

/** `torch.index_copy(x, dim, index, source)`: `source`'s slices written at `index` along `dim`. */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim);
  if (source.dtype !== x.dtype) throw new TypeError(`index_copy_(): self and source expected to have the same dtype, but got (self) ${scalarTypeName(x.dtype)} and (source) ${scalarTypeName(source.dtype)}`);
  const idx = expandIndex('index_copy', index, source.shape, d);
  const [written, placed] = scattered(x.shape, d, idx, source);
  return presentAs(where(written, placed, x), 'IndexCopyBackward0', [x]);
}

/** PyTorch's out-of-range error of take and put, where the index can be read at once. */
function checkFlatIndex(index: Tensor, n: number): void {
  if (!index.device.supports('readSync')) return;
  for (const v of index.dataSync()) {
    const i = Number(v);
    if (i < -n || i >= n) throw new RangeError(`out of range: tried to access index ${i} on a tensor of ${n} elements.`);
  }
}

/** `torch.take(x, index)`: elements of the flattened `x` (negative indices count from the end), shaped as `index`. */
export function take(x: Tensor, index: Tensor): Tensor {
  checkIndex('take', index);
  const n = x.numel();
  checkFlatIndex(index, n);
  const flat = reshape(index, [-1]);
  const wrapped = where(flat.lt(0), flat.add(n), flat);
  return presentAs(reshape(indexSelect(reshape(x, [-1]), 0, wrapped), index.shape), 'TakeBackward0', [x]);
}

/**
 * `x.put(index, source, accumulate=False)`: `source`'s elements written (or added) at `index` of the flattened `x`,
 * negative indices from the end; duplicate indices without `accumulate` (left unspecified by PyTorch) are summed.
 */
export function put(x: Tensor, index: Tensor, source: Tensor, accumulate = false): Tensor {
  if (index.dtype !== 'int64') throw new TypeError(`put_(): Expected a long tensor for index, but got ${scalarTypeName(index.dtype)}`);
  if (source.dtype !== x.dtype) {
    throw new TypeError(`put_(): self and source expected to have the same dtype, but got self.dtype = ${scalarTypeName(x.dtype)} and source.dtype = ${scalarTypeName(source.dtype)}`);
  }
  if (index.numel() !== source.numel()) {
    throw new RangeError(`put_(): Expected source and index to have the same number of elements, but got source.numel() = ${source.numel()}, index.numel() = ${index.numel()}`);
  }
  const n = x.numel();
  checkFlatIndex(index, n);
  const flat = reshape(index, [-1]);
  const wrapped = where(flat.lt(0), flat.add(n), flat);
  const values = reshape(source, [-1]);
  const base = reshape(x, [-1]);
  const out = accumulate ? indexAdd(base, 0, wrapped, values) : indexCopy(base, 0, wrapped, values);
  return presentAs(reshape(out, x.shape), 'PutBackward0', [x]);
}

/** `torch.take_along_dim(x, indices, dim)`: gather with `x` and `indices` broadcast except along `dim`. */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  checkIndex('take_along_dim', indices);
  if (dim === undefined || dim === null) return gather(reshape(x, [-1]), 0, reshape(indices, [-1]));
  if (x.ndim !== indices.ndim) {
    throw new RangeError(`torch.take_along_dim(): input and indices should have the same number of dimensions, but got ${x.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`);
  }
  const d = normalizeDim(dim, x.ndim);
  const shape = broadcastShapes(x.shape.map((s, i) => (i === d ? 1 : s)), indices.shape.map((s, i) => (i === d ? 1 : s)));
  const input = expand(x, shape.map((s, i) => (i === d ? x.shape[d] : s)));
  const idx = expand(indices, shape.map((s, i) => (i === d ? indices.shape[d] : s)));
  return gather(input, d, idx);
}
