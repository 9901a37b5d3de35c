import * as arith from '../ops/arithmetic.js';
import * as linalg from '../ops/linalg.js';
import * as red from '../ops/reduction.js';
import type { Dims, ReduceOptions, ValuesIndices, VarOptions } from '../ops/reduction.js';
import { Tensor } from '../tensor.js';
import { defineMethods } from './define.js';

declare module '../tensor.js' {
  interface Tensor {
    sum(dim?: Dims, options?: ReduceOptions): Tensor;
    mean(dim?: Dims, options?: ReduceOptions): Tensor;
    prod(dim?: number, options?: ReduceOptions): Tensor;
    var(dim?: Dims, options?: VarOptions): Tensor;
    std(dim?: Dims, options?: VarOptions): Tensor;
    /** `x.max()` is the largest value; `x.max(dim)` gives `{values, indices}`; `x.max(other)` is `maximum`. */
    max(): Tensor;
    max(dim: number, options?: ReduceOptions): ValuesIndices;
    max(other: Tensor): Tensor;
    min(): Tensor;
    min(dim: number, options?: ReduceOptions): ValuesIndices;
    min(other: Tensor): Tensor;
    amax(dim?: Dims, options?: ReduceOptions): Tensor;
    amin(dim?: Dims, options?: ReduceOptions): Tensor;
    argmax(dim?: number, options?: ReduceOptions): Tensor;
    argmin(dim?: number, options?: ReduceOptions): Tensor;
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
  }
}

function max(this: Tensor, arg?: number | Tensor, options?: ReduceOptions): Tensor | ValuesIndices {
  if (arg === undefined) return red.amax(this);
  if (arg instanceof Tensor) return arith.maximum(this, arg);
  return red.maxDim(this, arg, options);
}

function min(this: Tensor, arg?: number | Tensor, options?: ReduceOptions): Tensor | ValuesIndices {
  if (arg === undefined) return red.amin(this);
  if (arg instanceof Tensor) return arith.minimum(this, arg);
  return red.minDim(this, arg, options);
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
