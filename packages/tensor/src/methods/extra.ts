import { isOptionsObject, type DimOr } from '../options.js';
import * as inplace from '../ops/inplace.js';
import * as masked from '../ops/masked.js';
import * as norms from '../ops/norms.js';
import type { NormKeywords, NormOptions, NormOrder } from '../ops/norms.js';
import type { Dims, ReduceOptions } from '../ops/reduction.js';
import * as splitting from '../ops/split.js';
import * as triangular from '../ops/triangular.js';
import * as sorting from '../ops/sorting.js';
import type { SortOptions, TopkKeywordOptions, TopkOptions } from '../ops/sorting.js';
import * as cumulative from '../ops/cumulative.js';
import type { CumulativeOptions } from '../ops/cumulative.js';
import type { ValuesIndices } from '../ops/reduction.js';
import * as sampling from '../ops/multinomial.js';
import type { MultinomialOptions } from '../ops/multinomial.js';
import { defineMethods, flatArgs } from './define.js';

// Tensor methods of the triangular, masking, splitting, norm, sorting and scan ops (ops/triangular.ts, masked.ts,
// split.ts, norms.ts, sorting.ts, cumulative.ts).
declare module '../tensor.js' {
  interface Tensor {
    tril(diagonal?: number | { diagonal?: number }): Tensor;
    triu(diagonal?: number | { diagonal?: number }): Tensor;
    tril_(diagonal?: number | { diagonal?: number }): this;
    triu_(diagonal?: number | { diagonal?: number }): this;
    diag(diagonal?: number | { diagonal?: number }): Tensor;
    maskedFill(mask: Tensor, value: number | boolean | Tensor): Tensor;
    maskedFill_(mask: Tensor, value: number | boolean | Tensor): this;
    all(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    any(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    chunk(chunks: number, dim?: DimOr<number>): Tensor[];
    split(splitSizeOrSections: number | readonly number[], dim?: DimOr<number>): Tensor[];
    repeat(...sizes: number[] | [readonly number[]]): Tensor;
    repeatInterleave(...args: Parameters<typeof splitting.repeatInterleave> extends [Tensor, ...infer R] ? R : never): Tensor;
    flip(...dims: number[] | [readonly number[]] | [{ dims: readonly number[] }]): Tensor;
    roll(shifts: number | readonly number[], dims?: number | readonly number[] | { dims?: number | readonly number[] }): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    norm(p?: NormOrder | NormKeywords, dim?: Dims | null, options?: NormOptions | boolean): Tensor;
    logsumexp(dim: DimOr<Dims, NormOptions>, options?: NormOptions | boolean): Tensor;
    sort(dim?: DimOr<number, SortOptions>, options?: SortOptions | boolean): ValuesIndices;
    argsort(dim?: DimOr<number, SortOptions>, options?: SortOptions | boolean): Tensor;
    /** `x.topk(k, dim, largest, sorted)`: `largest` and `sorted` positionally or in a trailing options object. */
    topk(k: number | TopkKeywordOptions, dim?: DimOr<number, TopkOptions>, ...largestSortedOptions: (boolean | TopkOptions)[]): ValuesIndices;
    cumsum(dim: DimOr<number, CumulativeOptions>, options?: CumulativeOptions): Tensor;
    cumprod(dim: DimOr<number, CumulativeOptions>, options?: CumulativeOptions): Tensor;
    multinomial(numSamples: number | (MultinomialOptions & { numSamples?: number; replacement?: boolean }), replacement?: boolean, options?: MultinomialOptions): Tensor;
  }
}

defineMethods({
  tril(diagonal = 0) { return triangular.tril(this, diagonal); },
  triu(diagonal = 0) { return triangular.triu(this, diagonal); },
  tril_(diagonal = 0) { return inplace.apply(this, () => triangular.tril(this, diagonal)); },
  triu_(diagonal = 0) { return inplace.apply(this, () => triangular.triu(this, diagonal)); },
  diag(diagonal = 0) { return triangular.diag(this, diagonal); },
  maskedFill(mask, value) { return masked.maskedFill(this, mask, value); },
  maskedFill_(mask, value) { return inplace.apply(this, () => masked.maskedFill(this, mask, value)); },
  all(dim, options) { return masked.all(this, dim, options); },
  any(dim, options) { return masked.any(this, dim, options); },
  chunk(chunks, dim = 0) { return splitting.chunk(this, chunks, dim); },
  split(splitSizeOrSections, dim = 0) { return splitting.split(this, splitSizeOrSections, dim); },
  repeat(...sizes) { return splitting.repeat(this, flatArgs(sizes)); },
  repeatInterleave(...args) { return splitting.repeatInterleave(this, ...args); },
  flip(...dims) { return splitting.flip(this, isOptionsObject(dims[0]) ? (dims[0] as { dims: readonly number[] }) : flatArgs(dims as number[])); },
  roll(shifts, dims) { return splitting.roll(this, shifts, dims); },
  dot(other) { return norms.dot(this, other); },
  outer(other) { return norms.outer(this, other); },
  norm(p = 'fro', dim = null, options = {}) { return norms.norm(this, p, dim, options); },
  logsumexp(dim, options) { return norms.logsumexp(this, dim, options); },
  sort(dim = -1, options = {}) { return sorting.sort(this, dim, options); },
  argsort(dim = -1, options = {}) { return sorting.argsort(this, dim, options); },
  topk(k, dim, ...rest: (boolean | TopkOptions)[]) { return sorting.topk(this, k, dim, ...rest); },
  cumsum(dim, options) { return cumulative.cumsum(this, dim, options); },
  cumprod(dim, options) { return cumulative.cumprod(this, dim, options); },
  multinomial(numSamples, replacement = false, options = {}) { return sampling.multinomial(this, numSamples, replacement, options); },
});
