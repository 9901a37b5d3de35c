import * as arith from '../ops/arithmetic.js';
import * as linalg from '../ops/linalg.js';
import * as red from '../ops/reduction.js';
import type { Dims, ReduceOptions, ValuesIndices, VarOptions } from '../ops/reduction.js';
import { splitDim, type DimOr } from '../options.js';
import { Tensor } from '../tensor.js';
import { defineMethods } from './define.js';
import { presentAs } from '../ops/present-as.js';

declare module '../tensor.js' {
  interface Tensor {
    /** `dim` positionally, or as a keyword with the other options: `x.sum({ dim: 1, keepdim: true })`. */
    /** `keepdim` also positionally, as PyTorch: `x.sum(1, true)`. */
    sum(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    mean(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    prod(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    /** `x.var(dim, unbiased, keepdim)` positionally (PyTorch 1.13), or keywords in an options object. */
    var(dim?: DimOr<Dims, VarOptions>, options?: VarOptions | boolean, keepdim?: boolean | VarOptions): Tensor;
    std(dim?: DimOr<Dims, VarOptions>, options?: VarOptions | boolean, keepdim?: boolean | VarOptions): Tensor;
    /** `x.max()` is the largest value; `x.max(dim)` gives `{values, indices}`; `x.max(other)` is `maximum`. */
    max(): Tensor;
    max(dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
    max(other: Tensor): Tensor;
    min(): Tensor;
    min(dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
    min(other: Tensor): Tensor;
    amax(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    amin(dim?: DimOr<Dims, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    argmax(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    argmin(dim?: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): Tensor;
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
  }
}

function max(this: Tensor, arg?: DimOr<number, ReduceOptions> | Tensor, given?: ReduceOptions | boolean): Tensor | ValuesIndices {
  if (arg instanceof Tensor) return arith.maximum(this, arg);
  const [dim, options] = arg === undefined ? [undefined, {}] : splitDim('max', arg, given, 'keepdim');
  // The full reduction is PyTorch's max(), MaxBackward1, where amax prints AmaxBackward0.
  return dim === undefined ? presentAs(red.amax(this), 'MaxBackward1', [this]) : red.maxDim(this, dim, options);
}

function min(this: Tensor, arg?: DimOr<number, ReduceOptions> | Tensor, given?: ReduceOptions | boolean): Tensor | ValuesIndices {
  if (arg instanceof Tensor) return arith.minimum(this, arg);
  const [dim, options] = arg === undefined ? [undefined, {}] : splitDim('min', arg, given, 'keepdim');
  return dim === undefined ? presentAs(red.amin(this), 'MinBackward1', [this]) : red.minDim(this, dim, options);
}

defineMethods({
  sum(dim, options) { return red.sum(this, dim, options); },
  mean(dim, options) { return red.mean(this, dim, options); },
  prod(dim, options) { return red.prod(this, dim, options); },
  var(dim, options, keepdim) { return red.variance(this, dim, options, keepdim); },
  std(dim, options, keepdim) { return red.std(this, dim, options, keepdim); },
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
