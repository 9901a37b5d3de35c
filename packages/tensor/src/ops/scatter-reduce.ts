import { isFloating } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import { normalizeDim, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, full } from './creation.js';
import { cat, scatterAddZeros, where } from './indexing.js';
import { presentAs } from './present-as.js';
import { floorDivide } from './rounding.js';
import { outsideView, viewScatter } from './view-history.js';
import { narrow } from './views.js';

// scatter_reduce written with the differentiable scatter-add into zeros (sum, mean) and, for prod, amax and amin,
// which have no scatter kernel, a reduction over a one-hot expansion `[..., target, source, ...]` along dim: memory
// grows as self.size(dim) * index.size(dim), fine for the bucketing sizes these are used with. Gradients are
// autograd's through the composition: amax and amin share the gradient among ties (self included), as PyTorch.

export type ScatterReduction = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';
const REDUCTIONS: readonly string[] = ['sum', 'prod', 'mean', 'amax', 'amin'];

export interface ScatterReduceOptions {
  includeSelf?: boolean;
}

/**
 * What fills the one-hot expansion where a source does not go: 1 for prod; for amax and amin -inf and inf, or for
 * integers (which have no gradient to misroute) the sources' smallest and largest values.
 */
function identity(reduce: ScatterReduction, src: Tensor): Tensor | number {
  if (reduce === 'prod') return 1;
  if (isFloating(src.dtype)) return reduce === 'amax' ? -Infinity : Infinity;
  if (src.numel() === 0) return 0;
  return reduce === 'amax' ? src.amin() : src.amax();
}

/** prod, amax or amin of each target slot's sources (and self), over the one-hot expansion; `written` where any. */
function denseReduce(self: Tensor, d: number, index: Tensor, src: Tensor, reduce: ScatterReduction, includeSelf: boolean): [Tensor, Tensor] {
  const targets = self.shape[d];
  const slotShape = new Array<number>(index.ndim + 1).fill(1);
  slotShape[d] = targets;
  // hits[..., t, i, ...]: source i goes to target t.
  const hits = index.unsqueeze(d).eq(arange(targets, { dtype: 'int64', device: self.device }).reshape(slotShape));
  let values = where(hits, src.unsqueeze(d), identity(reduce, src));
  if (includeSelf) values = cat([values, self.unsqueeze(d + 1)], d + 1);
  const reduced = reduce === 'prod' ? values.prod(d + 1) : reduce === 'amax' ? values.amax(d + 1) : values.amin(d + 1);
  return [hits.any(d + 1), reduced];
}

/**
 * `torch.scatter_reduce(x, dim, index, src, reduce, *, include_self=True)`: each `src[i][j]` reduced into
 * `x[index[i][j]][j]` (dim 0) by sum, prod, mean, amax or amin; slots no index names keep x's value.
 */
export function scatterReduce(x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: ScatterReduction, options: ScatterReduceOptions = {}): Tensor {
  checkOptionKeys('scatter_reduce', options, ['includeSelf']);
  if (!REDUCTIONS.includes(reduce)) throw new RangeError('reduce argument must be either sum, prod, mean, amax or amin.');
  if (index.dtype !== 'int64') throw new TypeError('scatter(): Expected dtype int64 for index');
  if (src.dtype !== x.dtype) throw new TypeError('scatter(): Expected self.dtype to be equal to src.dtype');
  if (index.ndim !== x.ndim && index.numel() > 0) throw new RangeError('Index tensor must have the same number of dimensions as self tensor');
  const includeSelf = options.includeSelf ?? true;
  const d = normalizeDim(dim, x.ndim);
  // The region of x the index covers (all of dim d), and src cut to the index's shape, as scatter reads them.
  const cut = (t: Tensor, keepDim: boolean) => index.shape.reduce((acc, s, i) => (keepDim && i === d) || acc.shape[i] === s ? acc : narrow(acc, i, 0, s), t);
  const region = cut(x, true);
  const values = cut(src, false);
  let written: Tensor;
  let out: Tensor;
  if (reduce === 'sum' || reduce === 'mean') {
    const count = scatterAddZeros(region.shape, d, index, full(index.shape, 1, { dtype: x.dtype, device: x.device }));
    const total = scatterAddZeros(region.shape, d, index, values);
    written = count.gt(0);
    const sum = includeSelf ? region.add(total) : total;
    const n = includeSelf ? count.add(1) : where(written, count, 1);
    out = reduce === 'sum' ? sum : isFloating(x.dtype) ? sum.div(n) : floorDivide(sum, n);
  } else {
    [written, out] = denseReduce(region, d, index, values, reduce, includeSelf);
  }
  let result = where(written, out, region);
  if (!shapesEqual(region.shape, x.shape)) {
    const placement = { baseShape: x.shape, replay: (t: Tensor) => cut(t, true) };
    result = where(outsideView(placement, x.device), x, viewScatter(result, placement));
  }
  return presentAs(result, 'ScatterReduceBackward0', [x]);
}
