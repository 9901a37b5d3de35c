import { supportedDTypes, type DType } from '@descent/backend';
import { splitDim, type DimOr } from '../options.js';
import { isFloating } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { cat } from './indexing.js';
import { presentAs } from './present-as.js';

export interface CumulativeOptions {
  /** The result's dtype (the input is converted first), as PyTorch's `dtype=`. */
  dtype?: DType;
}

/**
 * An inclusive scan along `dim` in log2(n) steps (Hillis-Steele): each step combines every element with the one
 * `step` places before it (the identity before the start). Written with cat, narrow and add or mul, so it runs on
 * every backend and is differentiable with no rule of its own.
 */
function scan(x: Tensor, dim: number, combine: 'add' | 'mul'): Tensor {
  const n = x.shape[dim];
  let y = x;
  for (let step = 1; step < n; step *= 2) {
    const shape = x.shape.map((s, i) => (i === dim ? step : s));
    const identity = full(shape, combine === 'add' ? 0 : 1, { dtype: x.dtype, device: x.device });
    const shifted = cat([identity, y.narrow(dim, 0, n - step)], dim);
    y = combine === 'add' ? y.add(shifted) : y.mul(shifted);
  }
  return y;
}

/**
 * PyTorch's CPU accumulates a float32 scan in double and rounds each output once; where the backend has float64,
 * so does Descent (the scan's order differs, but in double the partial sums of float32 values round the same).
 */
function accumulation(x: Tensor, dtype: DType): DType {
  return dtype === 'float32' && supportedDTypes(x.device.backend).includes('float64') ? 'float64' : dtype;
}

function cumulative(x: Tensor, dim: number, options: CumulativeOptions, combine: 'add' | 'mul'): Tensor {
  // Integer and bool inputs give int64, as in PyTorch.
  const dtype = options.dtype ?? (isFloating(x.dtype) ? x.dtype : 'int64');
  if (x.ndim === 0) return x.to(dtype).clone();
  const d = normalizeDim(dim, x.ndim);
  const work = accumulation(x, dtype);
  return scan(x.to(work), d, combine).to(dtype);
}

/** `torch.cumsum(x, dim)`: running sums along `dim`. */
export function cumsum(x: Tensor, dimOr: DimOr<number, CumulativeOptions>, given?: CumulativeOptions): Tensor {
  const [dim, options] = splitDim('cumsum', dimOr, given);
  if (dim === undefined) throw new TypeError("cumsum() missing 1 required positional argument: 'dim'");
  return presentAs(cumulative(x, dim, options, 'add'), 'CumsumBackward0', [x]);
}

/** `torch.cumprod(x, dim)`: running products along `dim`. */
export function cumprod(x: Tensor, dimOr: DimOr<number, CumulativeOptions>, given?: CumulativeOptions): Tensor {
  const [dim, options] = splitDim('cumprod', dimOr, given);
  if (dim === undefined) throw new TypeError("cumprod() missing 1 required positional argument: 'dim'");
  return presentAs(cumulative(x, dim, options, 'mul'), 'CumprodBackward0', [x]);
}
