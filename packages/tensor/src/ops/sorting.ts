import { run, type OpBody } from '../gate.js';
import { checkOptionKeys, isOptionsObject, splitDim, type DimOr } from '../options.js';
import * as k from '../kernels.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { bitonicArgsort } from './bitonic.js';
import { fromArray } from './creation.js';
import { gather } from './indexing.js';
import { ValuesIndices } from './reduction.js';
import { presentAs } from './present-as.js';
import { introsort, larger, smaller, topkRowOrder, type Entry } from './std-sort-order.js';

export interface SortOptions {
  descending?: boolean;
  /** Equal values keep their order (PyTorch's CPU sort keeps it only up to 16 elements without it). */
  stable?: boolean;
}

const argsortBody: OpBody<'argsort', Tensor> = ([x], { dim, descending }, device) => {
  const last = x.ndim - 1;
  const moved = dim === last ? x : x.transpose(dim, last);
  const order = device.supports('argsort') ? k.fusedArgsort(moved, descending) : bitonicArgsort(moved, descending);
  return dim === last ? order : order.transpose(dim, last).contiguous();
};

/** int64 indices that sort `x` along `dim` stably (NaN largest): the order Descent's own ops rely on. */
export function stableArgsort(x: Tensor, dim: number, descending = false): Tensor {
  if (x.ndim === 0) return stableArgsort(x.reshape([1]), 0, descending).reshape([]);
  return run('argsort', [x], { dim: normalizeDim(dim, x.ndim), descending }, argsortBody);
}

/**
 * int64 indices that sort `x` along `dim` (NaN largest), as `torch.argsort(x, dim, descending, stable=False)`. On
 * the CPU equal values come in PyTorch's order (its std::sort, stable only up to 16 elements); `stable: true`, and
 * other devices, keep them in index order.
 */
export function argsort(x: Tensor, dimOr: DimOr<number, SortOptions> = -1, given: SortOptions | boolean = {}): Tensor {
  const [dimGiven, options] = typeof given === 'boolean' ? [dimOr as number, given] : splitDim<number, SortOptions>('argsort', dimOr, given);
  const dim = dimGiven ?? -1;
  const descending = typeof options === 'boolean' ? options : (options.descending ?? false);
  const stable = typeof options === 'object' && options.stable === true;
  if (stable || x.ndim === 0 || x.device.type !== 'cpu') return stableArgsort(x, dim, descending);
  return pytorchSortIndices(x, normalizeDim(dim, x.ndim), descending);
}

/** PyTorch's CPU sort order along `d`: std::sort of (value, index) pairs, row by row. */
function pytorchSortIndices(x: Tensor, d: number, descending: boolean): Tensor {
  const rows = x.detach().movedim(d, -1).contiguous();
  const n = rows.shape[rows.ndim - 1];
  const data = rows.dataSync() as ArrayLike<number | bigint>;
  const out = new BigInt64Array(rows.numel());
  for (let start = 0; start < out.length; start += n) {
    const entries: Entry[] = Array.from({ length: n }, (_, i) => [data[start + i], i]);
    introsort(entries, 0, n, descending ? larger : smaller);
    entries.forEach((e, i) => (out[start + i] = BigInt(e[1])));
  }
  return fromArray(out, rows.shape, { dtype: 'int64', device: x.device }).movedim(-1, d);
}

/** `torch.sort`: `{ values, indices }` along `dim`; the values are differentiable (a gather at the indices). */
export function sort(x: Tensor, dimOr: DimOr<number, SortOptions> = -1, given: SortOptions | boolean = {}): ValuesIndices {
  const [dimGiven, options] = typeof given === 'boolean' ? [dimOr as number, given] : splitDim<number, SortOptions>('sort', dimOr, given);
  const dim = dimGiven ?? -1;
  const indices = argsort(x, dim, options);
  // `stable=` by keyword picks PyTorch's sort.stable overload, SortBackward1.
  const name = typeof options === 'object' && options.stable !== undefined ? 'SortBackward1' : 'SortBackward0';
  return new ValuesIndices(presentAs(x.ndim === 0 ? x.clone() : gather(x, dim, indices), name, [x]), indices, 'sort');
}

export interface TopkOptions {
  largest?: boolean;
  sorted?: boolean;
}

/** Every argument of `topk` after the tensor by keyword, as `torch.topk(x, k=3, dim=1)`. */
export interface TopkKeywordOptions extends TopkOptions {
  k: number;
  dim?: number;
  axis?: number;
}

/**
 * `torch.topk(x, k, dim=-1, largest=True, sorted=True)`: the `k` largest (or smallest) along `dim`, in order, as
 * `{ values, indices }` (also destructured as `[values, indices]`). `largest` and `sorted` come positionally, as
 * pytorch/examples imagenet writes `output.topk(maxk, 1, True, True)`, or in a trailing options object. On the CPU
 * the picks (which of equal values, and their order with `sorted=False`) are PyTorch's own (topk-order.ts).
 */
export function topk(x: Tensor, kOr: number | TopkKeywordOptions, dimOr?: DimOr<number, TopkOptions>, ...rest: (boolean | TopkOptions)[]): ValuesIndices {
  if (typeof kOr === 'object' && kOr !== null) {
    // `torch.topk(cos, k=4)` (d2l's word2vec) names k, and with it any later argument, by keyword.
    const { k, ...more } = kOr;
    if (dimOr !== undefined || rest.length > 0) throw new TypeError('topk() takes the options object last: topk(x, { k, dim, largest, sorted })');
    if (k === undefined) throw new TypeError('topk() missing 1 required positional arguments: "k"');
    return topk(x, k, more);
  }
  const kCount = kOr;
  const last = rest.at(-1);
  const trailing = isOptionsObject(last) ? (last as TopkOptions) : {};
  const positional = (isOptionsObject(last) ? rest.slice(0, -1) : rest) as boolean[];
  if (positional.length > 2 || positional.some((v) => typeof v !== 'boolean')) {
    throw new TypeError('topk() takes k, dim, largest and sorted positionally, then an options object');
  }
  const [dimGiven, options] = splitDim<number, TopkOptions>('topk', dimOr ?? -1, trailing);
  checkOptionKeys('topk', options, ['largest', 'sorted']);
  (['largest', 'sorted'] as const).forEach((name, i) => {
    if (positional[i] !== undefined && options[name] !== undefined) throw new TypeError(`topk() got multiple values for argument '${name}'`);
  });
  const largest = positional[0] ?? options.largest ?? true;
  const dim = dimGiven ?? -1;
  const d = x.ndim === 0 ? 0 : normalizeDim(dim, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d];
  if (!Number.isInteger(kCount) || kCount < 0 || kCount > size) throw new RangeError('selected index k out of range');
  const sorted = positional[1] ?? options.sorted ?? true;
  const top = x.ndim === 0 ? stableArgsort(x, d, largest) : topkIndices(x, d, kCount, largest, sorted);
  return new ValuesIndices(presentAs(x.ndim === 0 ? x.clone() : gather(x, d, top), 'TopkBackward0', [x]), top, 'topk');
}

/**
 * The int64 indices of the top `k` along `d`. CPU tensors go through PyTorch's own selection order, so that ties
 * give its indices; other devices sort stably, which agrees but for ties.
 */
function topkIndices(x: Tensor, d: number, k: number, largest: boolean, sorted: boolean): Tensor {
  if (x.device.type !== 'cpu') return stableArgsort(x, d, largest).narrow(d, 0, k);
  const rows = x.detach().movedim(d, -1).contiguous();
  const n = rows.shape[rows.ndim - 1];
  const count = n === 0 ? 0 : rows.numel() / n;
  const data = rows.dataSync() as ArrayLike<number | bigint>;
  const out = new BigInt64Array(count * k);
  for (let r = 0; r < count; r++) {
    topkRowOrder(data, r * n, n, k, largest, sorted).forEach((index, i) => (out[r * k + i] = BigInt(index)));
  }
  return fromArray(out, [...rows.shape.slice(0, -1), k], { dtype: 'int64', device: x.device }).movedim(-1, d);
}
