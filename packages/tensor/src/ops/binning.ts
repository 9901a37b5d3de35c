import { isFloating, isIntegral, scalarTypeName } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { arange, full } from './creation.js';
import { gather, scatterAddZeros, where } from './indexing.js';

// Counting into bins (bincount, histc) with the scatter-add gather's gradient uses, and binary search as counts of
// comparisons (searchsorted, bucketize), so all of them run on every backend.

function hostNumber(t: Tensor, what: string): number {
  if (!t.device.supports('readSync')) {
    throw new Error(`${what} needs a value on the host, and '${t.device}' tensors are read asynchronously: move them to the CPU first`);
  }
  return Number(t.item());
}

/** `torch.bincount(x, weights=None, minlength=0)`: how often each non-negative integer occurs (or its weights' sum). */
export function bincount(x: Tensor, weights: Tensor | null = null, minlength = 0): Tensor {
  if (!isIntegral(x.dtype)) throw new TypeError(`"bincount_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (minlength < 0) throw new RangeError('minlength should be >= 0');
  if (x.ndim !== 1 || (x.numel() > 0 && hostNumber(x.amin(), 'bincount') < 0)) {
    throw new RangeError('bincount only supports 1-d non-negative integral inputs.');
  }
  if (weights !== null && (weights.ndim !== 1 || weights.shape[0] !== x.shape[0])) {
    throw new RangeError('weights should be 1-d and have the same length as input');
  }
  const length = Math.max(minlength, x.numel() === 0 ? 0 : hostNumber(x.amax(), 'bincount') + 1);
  // Float weights keep their dtype; anything else counts in float64 (PyTorch's double), no weights in int64.
  const dtype = weights === null ? 'int64' : isFloating(weights.dtype) ? weights.dtype : 'float64';
  const src = weights === null ? full(x.shape, 1, { dtype, device: x.device }) : weights.to(dtype);
  return scatterAddZeros([length], 0, x.to('int64'), src);
}

/**
 * `torch.histc(x, bins=100, min=0, max=0)`: counts in `bins` equal bins between min and max (the data's range when
 * they are equal); values outside are ignored. Each value's bin is checked against PyTorch's linspace edges, as its
 * kernel does, so values on an edge land where PyTorch puts them.
 */
export function histc(x: Tensor, bins = 100, min = 0, max = 0): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`"histogram_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (!(bins > 0)) throw new RangeError(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
  if (min > max) throw new RangeError('torch.histc: max must be larger than min');
  const flat = x.detach().reshape([-1]);
  const opts = { dtype: x.dtype, device: x.device };
  let lo = full([], min, opts);
  let hi = full([], max, opts);
  if (min === max && flat.numel() > 0) [lo, hi] = [flat.amin(), flat.amax()];
  const { pos, inRange } = uniformBins(flat, lo, hi, bins);
  return scatterAddZeros([bins], 0, pos, inRange.to(x.dtype));
}

/**
 * The `bins` equal bins between lo and hi (0-d; widened by `widen` each way when equal: histc's 1, histogram's 0.5):
 * the edges (PyTorch's linspace) and each value's bin, checked against the edges so values on an edge land where
 * PyTorch puts them; values outside are not `inRange` (their `pos` is 0).
 */
export function uniformBins(flat: Tensor, low: Tensor, high: Tensor, bins: number, widen = 1): { edges: Tensor; pos: Tensor; inRange: Tensor } {
  const same = low.eq(high);
  const lo = where(same, low.sub(widen), low);
  const hi = where(same, high.add(widen), high);
  // linspace(lo, hi, bins + 1) as PyTorch computes it: from the nearer end.
  const i = arange(bins + 1, { dtype: flat.dtype, device: flat.device });
  const step = hi.sub(lo).div(bins);
  const edges = where(i.lt((bins + 1) / 2), lo.add(step.mul(i)), hi.sub(step.mul(i.neg().add(bins))));
  const inRange = flat.ge(lo).logicalAnd(flat.le(hi));
  let pos = flat.sub(lo).mul(bins).div(hi.sub(lo)).floor().clamp(0, bins - 1);
  pos = where(inRange, pos, 0).to('int64');
  pos = where(flat.lt(gather(edges, 0, pos)), pos.sub(1), pos).clamp(0, bins - 1);
  const next = gather(edges, 0, pos.add(1));
  pos = where(flat.ge(next).logicalAnd(pos.lt(bins - 1)), pos.add(1), pos);
  return { edges, pos, inRange };
}

export interface SearchsortedOptions {
  outInt32?: boolean;
  right?: boolean;
  side?: 'left' | 'right';
  sorter?: Tensor;
}

/**
 * `torch.searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None, sorter=None)`: where each
 * value would be inserted to keep the innermost dim sorted (after equal entries with `right`). The insertion point is
 * the count of entries the binary search passes over, written as comparisons so NaN lands where PyTorch's does.
 */
export function searchsorted(sortedSequence: Tensor, values: Tensor | number, options: SearchsortedOptions = {}): Tensor {
  checkOptionKeys('searchsorted', options, ['outInt32', 'right', 'side', 'sorter']);
  const { side, right } = options;
  if (side !== undefined && side !== 'left' && side !== 'right') {
    throw new RangeError(`torch.searchsorted(): side can only be 'left' or 'right' but got ${String(side)}`);
  }
  if (side === 'left' && right === true) {
    throw new RangeError("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
  }
  const upper = right === true || side === 'right';
  const seq = options.sorter === undefined ? sortedSequence : gather(sortedSequence, -1, options.sorter);
  const v = values instanceof Tensor ? values : full([], values, { dtype: seq.dtype, device: seq.device });
  if (seq.ndim !== 1 && !shapesEqual(seq.shape.slice(0, -1), v.shape.slice(0, -1))) {
    throw new RangeError(
      'torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor ' +
        `must match, but we got boundaries tensor ${formatShape(seq.shape)} and input value tensor ${formatShape(v.shape)}`,
    );
  }
  const s = seq.detach();
  const query = v.detach().unsqueeze(-1);
  const table = seq.ndim === 1 ? s : s.unsqueeze(-2);
  const passed = (upper ? table.gt(query) : table.ge(query)).logicalNot();
  return passed.sum(-1).to(options.outInt32 ? 'int32' : 'int64');
}

export interface BucketizeOptions {
  outInt32?: boolean;
  right?: boolean;
}

/** `torch.bucketize(input, boundaries, *, out_int32=False, right=False)`: each value's bucket among 1-D boundaries. */
export function bucketize(input: Tensor | number, boundaries: Tensor, options: BucketizeOptions = {}): Tensor {
  checkOptionKeys('bucketize', options, ['outInt32', 'right']);
  if (boundaries.ndim !== 1) throw new RangeError(`boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  return searchsorted(boundaries, input, { outInt32: options.outInt32, right: options.right });
}

export interface IsinOptions {
  assumeUnique?: boolean;
  invert?: boolean;
}

/**
 * `torch.isin(elements, test_elements, *, assume_unique=False, invert=False)`: whether each element occurs among the
 * test elements (either may be a number), compared after type promotion as `eq`; a comparison table, as searchsorted.
 */
export function isin(elements: Tensor | number, testElements: Tensor | number, options: IsinOptions = {}): Tensor {
  checkOptionKeys('isin', options, ['assumeUnique', 'invert']);
  if (!(elements instanceof Tensor) && !(testElements instanceof Tensor)) {
    throw new TypeError('isin(): at least one of elements and test_elements must be a Tensor.');
  }
  const device = elements instanceof Tensor ? elements.device : (testElements as Tensor).device;
  const asTensor = (v: Tensor | number) => (v instanceof Tensor ? v.detach() : full([], v, { dtype: Number.isInteger(v) ? 'int64' : 'float32', device }));
  const e = asTensor(elements);
  const found = e.unsqueeze(-1).eq(asTensor(testElements).reshape([-1])).any(-1);
  return options.invert ? found.logicalNot() : found;
}
