import type { DType } from '@descent/backend';
import { isFloating, scalarTypeName } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import type { Tensor } from '../tensor.js';
import { where } from './indexing.js';
import { sum, type Dims, type ReduceOptions } from './reduction.js';
import { presentAs } from './present-as.js';

export interface NanReduceOptions extends ReduceOptions {
  /** The result's dtype (the input is converted first), as PyTorch's `dtype=`. */
  dtype?: DType;
}

const KEYS = ['keepdim', 'dtype'];

/** NaNs replaced by zero: `where` passes no gradient to them, as PyTorch's nansum backward. */
function zeroNans(x: Tensor): Tensor {
  return isFloating(x.dtype) ? where(x.isnan(), 0, x) : x;
}

/** `torch.nansum(x, dim=None, keepdim=False, dtype=None)`: the sum treating NaN as zero. */
export function nansum(x: Tensor, dim?: Dims, options: NanReduceOptions = {}): Tensor {
  checkOptionKeys('nansum', options, KEYS);
  const input = options.dtype === undefined ? x : x.to(options.dtype);
  return presentAs(sum(zeroNans(input), dim, { keepdim: options.keepdim ?? false }), 'NansumBackward0', [x]);
}

/** `torch.nanmean(x, dim=None, keepdim=False, dtype=None)`: the mean of the non-NaN values (NaN where none). */
export function nanmean(x: Tensor, dim?: Dims, options: NanReduceOptions = {}): Tensor {
  checkOptionKeys('nanmean', options, KEYS);
  const input = options.dtype === undefined ? x : x.to(options.dtype);
  if (!isFloating(input.dtype)) {
    throw new TypeError(`nanmean(): expected input to have floating point dtype but got ${scalarTypeName(input.dtype)}`);
  }
  const keepdim = options.keepdim ?? false;
  const count = sum(input.isnan().logicalNot(), dim, { keepdim }).to(input.dtype);
  return sum(zeroNans(input), dim, { keepdim }).div(count);
}
