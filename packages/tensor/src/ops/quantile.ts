import { isFloating } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { lerp } from './blend.js';
import { full } from './creation.js';
import { gather, where } from './indexing.js';
import { sort } from './sorting.js';
import { presentAs } from './present-as.js';

export type QuantileInterpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';

export interface QuantileOptions {
  keepdim?: boolean;
  interpolation?: QuantileInterpolation;
}

const MODES: readonly string[] = ['linear', 'lower', 'higher', 'midpoint', 'nearest'];

function checkArgs(name: string, x: Tensor, q: number | Tensor, interpolation: string): void {
  if (!isFloating(x.dtype)) throw new TypeError(`${name}() input tensor must be either float or double dtype`);
  if (x.numel() === 0) throw new RangeError(`${name}() input tensor must be non-empty`);
  if (!MODES.includes(interpolation)) {
    throw new RangeError(`${name}() interpolation must be one of linear, lower, higher, midpoint or nearest, but got ${interpolation}`);
  }
  if (typeof q === 'number') {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`${name}() q must be in the range [0, 1] but got ${q}`);
    return;
  }
  if (q.ndim > 1) throw new RangeError(`${name}() q must be a scalar or 1D tensor`);
  if (q.dtype !== x.dtype) throw new TypeError(`${name}() q tensor must be same dtype as the input tensor`);
  if (q.device.supports('readSync') && !Number(q.ge(0).logicalAnd(q.le(1)).all().item())) {
    throw new RangeError(`${name}() q values must be in the range [0, 1]`);
  }
}

/**
 * PyTorch's `quantile_compute`: sort along the reduced dim, rank = q * (n - 1) (NaN rows rank last for quantile;
 * nanquantile counts only the non-NaN values), round the rank as the mode says, and gather, interpolating with lerp.
 */
function quantileOf(name: string, x: Tensor, q: number | Tensor, dim: number | null | undefined, options: QuantileOptions): Tensor {
  checkOptionKeys(name, options, ['keepdim', 'interpolation']);
  const interpolation = options.interpolation ?? 'linear';
  const keepdim = options.keepdim ?? false;
  checkArgs(name, x, q, interpolation);
  const qs = (q instanceof Tensor ? q : full([], q, { dtype: x.dtype, device: x.device })).reshape([-1]);
  let rows: Tensor;
  let outShape: number[];
  if (dim === undefined || dim === null) {
    rows = x.reshape([-1]);
    outShape = keepdim ? x.shape.map(() => 1) : [];
  } else {
    const d = normalizeDim(dim, x.ndim);
    rows = x.ndim === 0 ? x.reshape([1]) : x.movedim(d, -1);
    outShape = x.shape.flatMap((s, i) => (i !== d ? [s] : keepdim ? [1] : []));
  }
  const sorted = sort(rows, -1).values;
  const n = rows.shape[rows.ndim - 1];
  const nans = sorted.isnan();
  let ranks: Tensor;
  if (name === 'nanquantile') {
    const valid = nans.logicalNot().sum(-1, { keepdim: true }).to(x.dtype);
    ranks = qs.mul(valid.sub(1));
    ranks = where(ranks.lt(0), 0, ranks);
  } else {
    ranks = where(nans.any(-1, { keepdim: true }), n - 1, qs.mul(n - 1));
  }
  ranks = ranks.expand([...rows.shape.slice(0, -1), qs.shape[0]]);
  if (interpolation === 'lower') ranks = ranks.floor();
  else if (interpolation === 'higher') ranks = ranks.ceil();
  else if (interpolation === 'nearest') ranks = ranks.round();
  const below = ranks.to('int64');
  let values = gather(sorted, -1, below);
  if (interpolation === 'linear' || interpolation === 'midpoint') {
    const weights = interpolation === 'midpoint' ? full(ranks.shape, 0.5, { dtype: x.dtype, device: x.device }) : ranks.sub(below.to(x.dtype));
    values = lerp(values, gather(sorted, -1, ranks.ceil().to('int64')), weights);
  }
  if (!(q instanceof Tensor) || q.ndim === 0) return values.squeeze(-1).reshape(outShape);
  return values.movedim(-1, 0).reshape([qs.shape[0], ...outShape]);
}

/** `torch.quantile(x, q, dim=None, keepdim=False, *, interpolation='linear')`: NaN where a reduced row has NaN. */
export function quantile(x: Tensor, q: number | Tensor, dim?: number | null, options: QuantileOptions = {}): Tensor {
  // PyTorch's quantile ends on an in-place squeeze of the sorted values, whatever the arguments.
  return presentAs(quantileOf('quantile', x, q, dim, options), 'SqueezeBackward3', [x]);
}

/** `torch.nanquantile`: quantiles of the non-NaN values (NaN where a row has none). */
export function nanquantile(x: Tensor, q: number | Tensor, dim?: number | null, options: QuantileOptions = {}): Tensor {
  return presentAs(quantileOf('nanquantile', x, q, dim, options), 'SqueezeBackward3', [x]);
}
