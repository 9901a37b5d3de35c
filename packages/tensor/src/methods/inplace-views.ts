import { bytesPerElement } from '@descent/backend';
import * as inplace from '../ops/inplace.js';
import type { GeneratorOption } from '../ops/inplace.js';
import * as views from '../ops/inplace-views.js';
import * as scatter from '../ops/scatter.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods } from './define.js';

// Tensor methods that change the tensor itself without computing values (the in-place view ops, put_) or that
// draw into it (log_normal_, cauchy_, random_), and PyTorch's older metadata names (nelement, ndimension,
// element_size).
declare module '../tensor.js' {
  interface Tensor {
    t_(): this;
    transpose_(dim0: number, dim1: number): this;
    swapaxes_(axis0: number, axis1: number): this;
    swapdims_(dim0: number, dim1: number): this;
    unsqueeze_(dim: number): this;
    squeeze_(dim?: number): this;
    put(index: TensorType, source: TensorType, accumulate?: boolean): Tensor;
    put_(index: TensorType, source: TensorType, accumulate?: boolean): this;
    logNormal_(mean?: number, std?: number, options?: GeneratorOption): this;
    cauchy_(median?: number, sigma?: number, options?: GeneratorOption): this;
    /** `random_()`, `random_(to)`, `random_(from, to)`. */
    random_(fromOrTo?: number | GeneratorOption, to?: number | GeneratorOption, options?: GeneratorOption): this;
    /** `numel()`, PyTorch's older name. */
    nelement(): number;
    /** `dim()`, PyTorch's older name. */
    ndimension(): number;
    /** Bytes per element of the dtype: 4 for float32, 8 for int64, 1 for bool. */
    elementSize(): number;
  }
}

defineMethods({
  t_() { return views.t_(this); },
  transpose_(dim0, dim1) { return views.transpose_(this, dim0, dim1); },
  swapaxes_(axis0, axis1) { return views.transpose_(this, axis0, axis1); },
  swapdims_(dim0, dim1) { return views.transpose_(this, dim0, dim1); },
  unsqueeze_(dim) { return views.unsqueeze_(this, dim); },
  squeeze_(dim) { return views.squeeze_(this, dim); },
  put(index, source, accumulate = false) { return scatter.put(this, index, source, accumulate); },
  put_(index, source, accumulate = false) { return inplace.apply(this, () => scatter.put(this, index, source, accumulate)); },
  logNormal_(mean = 1, std = 2, options) { return inplace.logNormal(this, mean, std, options); },
  cauchy_(median = 0, sigma = 1, options) { return inplace.cauchy(this, median, sigma, options); },
  random_(fromOrTo, to, options) {
    const numbers = [fromOrTo, to].filter((v): v is number => typeof v === 'number');
    const generator = [fromOrTo, to, options].find((v): v is GeneratorOption => typeof v === 'object' && v !== null);
    const [from, upper] = numbers.length === 2 ? numbers : numbers.length === 1 ? [numbers[0], null] : [null, null];
    return inplace.random(this, from, upper, generator);
  },
  nelement() { return this.numel(); },
  ndimension() { return this.ndim; },
  elementSize() { return bytesPerElement[this.dtype]; },
});
