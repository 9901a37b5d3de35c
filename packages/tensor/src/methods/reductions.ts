import * as arith from '../ops/arithmetic.js';
import * as linalg from '../ops/linalg.js';
import * as red from '../ops/reduction.js';
import type { Dims, ReduceOptions, ValuesIndices, VarOptions } from '../ops/reduction.js';
import { splitDim, type DimOr } from '../options.js';
import { Tensor } from '../tensor.js';
import { defineMethods } from './define.js';

declare module '../tensor.js' {
  interface Tensor {
    /** `dim` positionally, or as a keyword with the other options: `x.sum({ dim: 1, keepdim: true })`. */
    sum(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions): Tensor;
    mean(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions): Tensor;
    prod(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions): Tensor;
    var(dim?: DimOr<Dims, VarOptions>, options?: VarOptions): Tensor;
    std(dim?: DimOr<Dims, VarOptions>, options?: VarOptions): Tensor;
    /** `x.max()` is the largest value; `x.max(dim)` gives `{values, indices}`; `x.max(other)` is `maximum`. */
    max(): Tensor;
    max(dim: DimOr<number, ReduceOptions>, options?: ReduceOptions): ValuesIndices;
    max(other: Tensor): Tensor;
    min(): Tensor;
    min(dim: DimOr<number, ReduceOptions>, options?: ReduceOptions): ValuesIndices;
    min(other: Tensor): Tensor;
    amax(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions): Tensor;
    amin(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions): Tensor;
    argmax(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions): Tensor;
    argmin(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions): Tensor;
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
  }
}

function max(this: Tensor, arg?: DimOr<number, ReduceOptions> | Tensor, given?: ReduceOptions): Tensor | ValuesIndices {
  if (arg === undefined) return red.amax(this);
  if (arg instanceof Tensor) return arith.maximum(this, arg);
  const [dim, options] = splitDim('max', arg, given);
  return dim === undefined ? red.amax(this) : red.maxDim(this, dim, options);
}

function min(this: Tensor, arg?: DimOr<number, ReduceOptions> | Tensor, given?: ReduceOptions): Tensor | ValuesIndices {
  if (arg === undefined) return red.amin(this);
  if (arg instanceof Tensor) return arith.minimum(this, arg);
  const [dim, options] = splitDim('min', arg, given);
  return dim === undefined ? red.amin(this) : red.minDim(this, dim, options);
}

defineMethods({
  sum(dim, options) { return red.sum(this, dim, options); },
  mean(dim, options) { return red.mean(this, dim, options); },
  prod(dim, options) { return red.prod(this, dim, options); },
  var(dim, options) { return red.variance(this, dim, options); },
  std(dim, options) { return red.std(this, dim, options); },
  max: max as Tensor['max'],
  min: min as Tensor['min'],
  amax(dim, options) { return red.amax(this, dim, options); },
  amin(dim, options) { return red.amin(this, dim, options); },
  argmax(dim, options) { return red.argmax(this, dim, options); },
  argmin(dim, options) { return red.argmin(this, dim, options); },
  matmul(other) { return linalg.matmul(this, other); },
  mm(other) { return linalg.mm(this, other); },
  bmm(other) { return linalg.bmm(this, other); },
});
