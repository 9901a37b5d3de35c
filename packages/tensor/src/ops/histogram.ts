import { isFloating, scalarTypeName } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { scatterAddZeros, where } from './indexing.js';
import { searchsorted, uniformBins } from './binning.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

/** What `torch.histogram` returns, like PyTorch's `(hist, bin_edges)` named tuple; it destructures as an array. */
export class Histogram {
  constructor(
    readonly hist: Tensor,
    readonly binEdges: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.histogram(...)`). */
  toString(): string {
    return returnTypeRepr('histogram', { hist: this.hist, bin_edges: this.binEdges });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.hist;
    yield this.binEdges;
  }
}

export interface HistogramOptions {
  range?: readonly [number, number] | null;
  weight?: Tensor | null;
  density?: boolean;
}

/**
 * `torch.histogram(x, bins, *, range=None, weight=None, density=False)`: counts (or summed weights) of the flattened
 * input in `bins` equal bins over `range` (the data's by default), or between given edges (a 1-D tensor); the last
 * bin includes its right edge. `density` divides by the total and the bin widths. Not differentiable, as PyTorch.
 */
export function histogram(x: Tensor, bins: number | Tensor, options: HistogramOptions = {}): Histogram {
  checkOptionKeys('histogram', options, ['range', 'weight', 'density']);
  if (!isFloating(x.dtype)) throw new TypeError(`"histogramdd" not implemented for '${scalarTypeName(x.dtype)}'`);
  const flat = x.detach().reshape([-1]);
  const { weight = null, range = null } = options;
  if (weight !== null && !shapesEqual(weight.shape, x.shape)) {
    throw new RangeError(
      'torch.histogramdd: if weight tensor is provided it should have the same shape as the input tensor excluding its innermost dimension, ' +
        `but got input with shape ${formatShape([...x.shape, 1])} and weight with shape ${formatShape(weight.shape)}`,
    );
  }
  const opts = { dtype: x.dtype, device: x.device };
  let edges: Tensor;
  let pos: Tensor;
  let inRange: Tensor;
  if (bins instanceof Tensor) {
    edges = bins.detach().to(x.dtype);
    const n = edges.shape[0] - 1;
    const last = edges.select(0, -1);
    inRange = flat.ge(edges.select(0, 0)).logicalAnd(flat.le(last));
    // The bin is the last edge at or below the value; the right edge belongs to the last bin.
    pos = searchsorted(edges, flat, { right: true }).sub(1).clamp(0, Math.max(n - 1, 0));
  } else {
    if (!(bins > 0)) throw new RangeError(`torch.histogram(): bins must be > 0, but got ${bins} for dimension 0`);
    const [min, max] = range ?? [null, null];
    if (min !== null && max !== null && min > max) {
      throw new RangeError(`torch.histogramdd: min should not exceed max, but got min ${min} max ${max} for dimension 0`);
    }
    const lo = min !== null ? full([], min, opts) : flat.numel() > 0 ? flat.amin() : full([], 0, opts);
    const hi = max !== null ? full([], max, opts) : flat.numel() > 0 ? flat.amax() : full([], 0, opts);
    ({ edges, pos, inRange } = uniformBins(flat, lo, hi, bins, 0.5));
  }
  const n = edges.shape[0] - 1;
  const values = weight === null ? inRange.to(x.dtype) : where(inRange, weight.detach().reshape([-1]).to(x.dtype), 0);
  let hist = scatterAddZeros([n], 0, where(inRange, pos, 0), values);
  if (options.density) hist = hist.div(hist.sum()).div(edges.narrow(0, 1, n).sub(edges.narrow(0, 0, n)));
  return new Histogram(hist, edges);
}
