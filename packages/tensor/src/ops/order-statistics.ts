import { isFloating } from '../dtype.js';
import { splitDim, type DimOr } from '../options.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, fromArray, full } from './creation.js';
import { gather, where } from './indexing.js';
import { amax, amin, ValuesIndices, type ReduceOptions } from './reduction.js';
import { sort, stableArgsort } from './sorting.js';
import { presentAs } from './present-as.js';
import { quickSelectIndex } from './aten-quick-select.js';
import { introsort, type Entry } from './std-sort-order.js';

// Order statistics (median, nanmedian, kthvalue, mode, msort) composed from a stable argsort (NaN sorts last) and
// gather: the values are a gather at the indices, so they are differentiable the way PyTorch's are (the gradient
// goes to the chosen element) with no rule of their own.

const int64Scalar = (value: number, like: Tensor): Tensor => full([], value, { dtype: 'int64', device: like.device });

function checkReducible(name: string, x: Tensor, d: number): void {
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${name}(): Expected reduction dim ${d} to have non-zero size.`);
}

/** `{ values, indices }` at sorted position `position` (int64, keepdim-shaped) along `d`. */
function pick(op: string, x: Tensor, order: Tensor, d: number, position: Tensor, keepdim: boolean): ValuesIndices {
  const indices = gather(order, d, position);
  const values = gather(x, d, indices);
  return keepdim ? new ValuesIndices(values, indices, op) : new ValuesIndices(values.squeeze(d), indices.squeeze(d), op);
}

/**
 * The lower median along `d`. With `ignoreNan` false a row holding NaN gives its first NaN (PyTorch's median);
 * with `ignoreNan` true the median of the other values, or the first NaN when there are none (nanmedian).
 */
function medianAlong(x: Tensor, dim: number, keepdim: boolean, ignoreNan: boolean, name: string): ValuesIndices {
  if (x.ndim === 0) return new ValuesIndices(x.clone(), int64Scalar(0, x), name);
  const d = normalizeDim(dim, x.ndim);
  checkReducible(name, x, d);
  const n = x.shape[d];
  const order = stableArgsort(x, d);
  const keptShape = x.shape.map((s, i) => (i === d ? 1 : s));
  let position: Tensor;
  if (!isFloating(x.dtype)) {
    position = full(keptShape, Math.floor((n - 1) / 2), { dtype: 'int64', device: x.device });
  } else {
    const nans = x.isnan().sum(d, { keepdim: true });
    const valid = nans.neg().add(n);
    // Stable sorting keeps NaNs in their order, so the first NaN sorts to position n - nans.
    position = ignoreNan ? valid.sub(1).floorDivide(2).clamp(0) : where(nans.gt(0), valid, Math.floor((n - 1) / 2));
  }
  return pick(name, x, order, d, position, keepdim);
}

/** `torch.median(x)`: the lower median of all elements (NaN if any is NaN). */
export function median(x: Tensor): Tensor;
/** `torch.median(x, dim, keepdim=False)`: `{ values, indices }` of the lower median along `dim`. */
export function median(x: Tensor, dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
export function median(x: Tensor, dimOr?: DimOr<number, ReduceOptions>, given?: ReduceOptions | boolean): Tensor | ValuesIndices {
  const [dim, options] = splitDim('median', dimOr, given, 'keepdim');
  if (dim === undefined) return presentAs(wholeMedian(x, false), 'MedianBackward0', [x]);
  return named(medianAlong(x, dim, options.keepdim ?? false, false, 'median'), 'MedianBackward1', x);
}

/** `torch.nanmedian`: the median ignoring NaNs (NaN only where every value is NaN). */
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
export function nanmedian(x: Tensor, dimOr?: DimOr<number, ReduceOptions>, given?: ReduceOptions | boolean): Tensor | ValuesIndices {
  const [dim, options] = splitDim('nanmedian', dimOr, given, 'keepdim');
  if (dim === undefined) return presentAs(wholeMedian(x, true), 'NanmedianBackward0', [x]);
  return named(medianAlong(x, dim, options.keepdim ?? false, true, 'nanmedian'), 'NanmedianBackward1', x);
}

/** The values printing the node of PyTorch's kernel (`KthvalueBackward0`). */
function named(result: ValuesIndices, name: string, x: Tensor): ValuesIndices {
  return new ValuesIndices(presentAs(result.values, name, [x]), result.indices, result.op);
}

/**
 * The median of all elements. Its gradient is shared evenly by every element equal to it (every NaN for a NaN
 * median), as PyTorch's `evenly_distribute_backward`: `value + sum(x - x.detach() where tied) / ties` is the value
 * in the forward pass and carries exactly that gradient.
 */
function wholeMedian(x: Tensor, ignoreNan: boolean): Tensor {
  // PyTorch's median of no elements is NaN.
  if (x.numel() === 0) return full([], NaN, { dtype: x.dtype, device: x.device });
  const value = medianAlong(x.detach().reshape([-1]), 0, false, ignoreNan, ignoreNan ? 'nanmedian' : 'median').values;
  if (!x.requiresGrad) return value;
  const tied = isFloating(x.dtype) ? where(value.isnan(), x.isnan(), x.eq(value)) : x.eq(value);
  const share = where(tied, x.sub(x.detach()), 0).sum().div(tied.sum().to(x.dtype));
  return value.add(share);
}

/** `torch.kthvalue(x, k, dim=-1, keepdim=False)`: the `k`-th smallest (1-based) along `dim`, NaN largest. */
export function kthvalue(x: Tensor, k: number, dimOr: DimOr<number, ReduceOptions> = -1, given?: ReduceOptions | boolean): ValuesIndices {
  const [dimGiven, options] = splitDim('kthvalue', dimOr, given, 'keepdim');
  const dim = dimGiven ?? -1;
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(k) || k < 1 || k > size) throw new RangeError(`kthvalue(): selected number k out of range for dimension ${d}`);
  if (x.ndim === 0) return named(new ValuesIndices(x.clone(), int64Scalar(0, x), 'kthvalue'), 'KthvalueBackward0', x);
  const keptShape = x.shape.map((s, i) => (i === d ? 1 : s));
  const keepdim = options.keepdim ?? false;
  if (x.device.type === 'cpu') {
    const index = rowIndices(x, d, (data, start, n) => quickSelectIndex(data, start, n, k - 1));
    const values = gather(x, d, index);
    const result = keepdim ? new ValuesIndices(values, index, 'kthvalue') : new ValuesIndices(values.squeeze(d), index.squeeze(d), 'kthvalue');
    return named(result, 'KthvalueBackward0', x);
  }
  return named(pick('kthvalue', x, stableArgsort(x, d), d, full(keptShape, k - 1, { dtype: 'int64', device: x.device }), keepdim), 'KthvalueBackward0', x);
}

/**
 * `torch.mode(x, dim=-1, keepdim=False)`: the most frequent value along `dim` (the smallest of equally frequent
 * ones) and an index of it: on the CPU PyTorch's own (modeRowIndex), elsewhere its last occurrence, which counts
 * comparing every pair along `dim` find.
 */
export function mode(x: Tensor, dimOr: DimOr<number, ReduceOptions> = -1, given?: ReduceOptions | boolean): ValuesIndices {
  const [dimGiven, options] = splitDim('mode', dimOr, given, 'keepdim');
  const dim = dimGiven ?? -1;
  const keepdim = options.keepdim ?? false;
  if (x.ndim === 0) return named(new ValuesIndices(x.clone(), int64Scalar(0, x), 'mode'), 'ModeBackward0', x);
  const d = normalizeDim(dim, x.ndim);
  checkReducible('mode', x, d);
  if (x.device.type === 'cpu') {
    const index = rowIndices(x, d, modeRowIndex);
    const values = gather(x, d, index);
    return named(keepdim ? new ValuesIndices(values, index, 'mode') : new ValuesIndices(values.squeeze(d), index.squeeze(d), 'mode'), 'ModeBackward0', x);
  }
  const n = x.shape[d];
  const rows = x.detach().movedim(d, -1);
  const counts = rows.unsqueeze(-1).eq(rows.unsqueeze(-2)).sum(-1);
  const frequent = counts.eq(amax(counts, -1, { keepdim: true }));
  const value = amin(where(frequent, rows, amax(rows, -1, { keepdim: true })), -1, { keepdim: true });
  const positions = arange(n, { dtype: 'int64', device: x.device });
  const last = amax(where(rows.eq(value), positions, -1), -1, { keepdim: true }).movedim(-1, d);
  const values = gather(x, d, last);
  return named(keepdim ? new ValuesIndices(values, last, 'mode') : new ValuesIndices(values.squeeze(d), last.squeeze(d), 'mode'), 'ModeBackward0', x);
}

/** `torch.msort(x)`: `x` sorted along its first dim. */
export function msort(x: Tensor): Tensor {
  return sort(x, 0).values;
}

/**
 * One int64 index per row along `d` (keepdim-shaped), each `pickRow` of that row's values: the CPU kernels that
 * choose among equal values as PyTorch's do.
 */
function rowIndices(x: Tensor, d: number, pickRow: (data: ArrayLike<number | bigint>, start: number, n: number) => number): Tensor {
  const rows = x.detach().movedim(d, -1).contiguous();
  const n = rows.shape[rows.ndim - 1];
  const data = rows.dataSync() as ArrayLike<number | bigint>;
  const out = new BigInt64Array(rows.numel() / n);
  for (let r = 0; r < out.length; r++) out[r] = BigInt(pickRow(data, r * n, n));
  return fromArray(out, [...rows.shape.slice(0, -1), 1], { dtype: 'int64', device: x.device }).movedim(-1, d);
}

/**
 * PyTorch's CPU mode of one row: std::sort of (value, index) pairs by value, then the longest run of equal values
 * (the first such run); its last pair gives the index. NaN equals nothing, so each NaN is a run of its own.
 */
function modeRowIndex(data: ArrayLike<number | bigint>, start: number, n: number): number {
  const entries: Entry[] = Array.from({ length: n }, (_, i) => [data[start + i], i]);
  introsort(entries, 0, n, (a, b) => a[0] < b[0]);
  let [best, run, bestRun] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    run++;
    if (i === n - 1 || entries[i][0] !== entries[i + 1][0]) {
      if (run > bestRun) [best, bestRun] = [entries[i][1], run];
      run = 0;
    }
  }
  return best;
}
