import * as binning from '../ops/binning.js';
import type { DimOr } from '../options.js';
import * as cov from '../ops/covariance.js';
import type { CovOptions } from '../ops/covariance.js';
import * as inplace from '../ops/inplace.js';
import type { GeneratorOption } from '../ops/inplace.js';
import * as factor from '../ops/linalg-factor.js';
import * as solving from '../ops/linalg-solve.js';
import * as nan from '../ops/nan-reductions.js';
import type { NanReduceOptions } from '../ops/nan-reductions.js';
import * as order from '../ops/order-statistics.js';
import * as paired from '../ops/paired-reductions.js';
import type { AminmaxOptions, MinMax } from '../ops/paired-reductions.js';
import * as quantiles from '../ops/quantile.js';
import type { QuantileOptions } from '../ops/quantile.js';
import type { Dims, ReduceOptions, ValuesIndices } from '../ops/reduction.js';
import * as running from '../ops/running.js';
import * as sampling from '../ops/sampling.js';
import * as uniq from '../ops/unique.js';
import type { UniqueConsecutiveOptions, UniqueOptions } from '../ops/unique.js';
import { Tensor } from '../tensor.js';
import { defineMethods } from './define.js';

// Tensor methods of the statistics, counting, random-distribution and linear-algebra ops.
declare module '../tensor.js' {
  interface Tensor {
    median(): Tensor;
    median(dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
    nanmedian(): Tensor;
    nanmedian(dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
    mode(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
    kthvalue(k: number, dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
    msort(): Tensor;
    quantile(q: number | Tensor, dim?: number | null, options?: QuantileOptions): Tensor;
    nanquantile(q: number | Tensor, dim?: number | null, options?: QuantileOptions): Tensor;
    nansum(dim?: Dims, options?: NanReduceOptions): Tensor;
    nanmean(dim?: Dims, options?: NanReduceOptions): Tensor;
    aminmax(options?: AminmaxOptions): MinMax;
    cummax(dim: number): ValuesIndices;
    cummin(dim: number): ValuesIndices;
    logcumsumexp(dim: number): Tensor;
    unique(options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
    unique(options: UniqueOptions): Tensor[];
    uniqueConsecutive(options?: UniqueConsecutiveOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
    uniqueConsecutive(options: UniqueConsecutiveOptions): Tensor[];
    bincount(weights?: Tensor | null, minlength?: number): Tensor;
    histc(bins?: number, min?: number, max?: number): Tensor;
    cov(options?: CovOptions): Tensor;
    corrcoef(): Tensor;
    /** `x.bernoulli()`: 0/1 draws with probabilities `x`; `x.bernoulli(p)` with probability `p`. */
    bernoulli(p?: number | GeneratorOption, options?: GeneratorOption): Tensor;
    exponential_(lambd?: number, options?: GeneratorOption): this;
    geometric_(p: number, options?: GeneratorOption): this;
    det(): Tensor;
    inverse(): Tensor;
    cholesky(upper?: boolean): Tensor;
  }
}

function median(this: Tensor, dim?: number, options?: ReduceOptions): Tensor | ValuesIndices {
  return dim === undefined ? order.median(this) : order.median(this, dim, options);
}

function nanmedian(this: Tensor, dim?: number, options?: ReduceOptions): Tensor | ValuesIndices {
  return dim === undefined ? order.nanmedian(this) : order.nanmedian(this, dim, options);
}

function unique(this: Tensor, options: UniqueOptions = {}): Tensor | Tensor[] {
  return uniq.unique(this, options as UniqueOptions & { returnInverse?: false; returnCounts?: false });
}

function uniqueConsecutive(this: Tensor, options: UniqueConsecutiveOptions = {}): Tensor | Tensor[] {
  return uniq.uniqueConsecutive(this, options as UniqueConsecutiveOptions & { returnInverse?: false; returnCounts?: false });
}

defineMethods({
  median: median as Tensor['median'],
  nanmedian: nanmedian as Tensor['nanmedian'],
  mode(dim = -1, options) { return order.mode(this, dim, options); },
  kthvalue(k, dim = -1, options) { return order.kthvalue(this, k, dim, options); },
  msort() { return order.msort(this); },
  quantile(q, dim, options) { return quantiles.quantile(this, q, dim, options); },
  nanquantile(q, dim, options) { return quantiles.nanquantile(this, q, dim, options); },
  nansum(dim, options) { return nan.nansum(this, dim, options); },
  nanmean(dim, options) { return nan.nanmean(this, dim, options); },
  aminmax(options) { return paired.aminmax(this, options); },
  cummax(dim) { return running.cummax(this, dim); },
  cummin(dim) { return running.cummin(this, dim); },
  logcumsumexp(dim) { return running.logcumsumexp(this, dim); },
  unique: unique as Tensor['unique'],
  uniqueConsecutive: uniqueConsecutive as Tensor['uniqueConsecutive'],
  bincount(weights = null, minlength = 0) { return binning.bincount(this, weights, minlength); },
  histc(bins = 100, min = 0, max = 0) { return binning.histc(this, bins, min, max); },
  cov(options) { return cov.cov(this, options); },
  corrcoef() { return cov.corrcoef(this); },
  bernoulli(p, options) { return sampling.bernoulli(this, p, options); },
  exponential_(lambd = 1, options) { return inplace.exponential(this, lambd, options); },
  geometric_(p, options) { return inplace.geometric(this, p, options); },
  det() { return solving.det(this); },
  inverse() { return solving.inv(this); },
  cholesky(upper = false) { return factor.cholesky(this, upper); },
});
