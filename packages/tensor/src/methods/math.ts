import type { DimOr } from '../options.js';
import * as arith from '../ops/arithmetic.js';
import * as indexing from '../ops/indexing.js';
import * as red from '../ops/reduction.js';
import type { TensorLike } from '../ops/scalar.js';
import * as unary from '../ops/unary.js';
import * as sides from '../ops/clamp-sides.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods } from './define.js';

/** `x.add(y, { alpha })` as PyTorch's `x.add(y, alpha=...)`. */
export interface AlphaOptions {
  alpha?: number;
}

declare module '../tensor.js' {
  interface Tensor {
    add(other: TensorLike, options?: AlphaOptions): Tensor;
    sub(other: TensorLike, options?: AlphaOptions): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: Tensor): Tensor;
    minimum(other: Tensor): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    reciprocal(): Tensor;
    erf(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    clamp(min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): Tensor;
    clip(min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): Tensor;
    /** `x.clamp_min(min)`: values below `min` (a number or a broadcast tensor) raised to it. */
    clampMin(min: TensorLike): Tensor;
    /** `x.clamp_max(max)`: values above `max` lowered to it. */
    clampMax(max: TensorLike): Tensor;
    softmax(dim: DimOr<number>): Tensor;
    logSoftmax(dim: DimOr<number>): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    logicalNot(): Tensor;
    logicalAnd(other: TensorLike): Tensor;
    logicalOr(other: TensorLike): Tensor;
    /** `cond.where(x, y)` is not PyTorch's order; PyTorch's `x.where(cond, y)` is `where(cond, x, y)`. */
    where(condition: Tensor, other: TensorLike): Tensor;
  }
}

defineMethods({
  add(other, options) { return arith.add(this, other, options); },
  sub(other, options) { return arith.sub(this, other, options); },
  mul(other) { return arith.mul(this, other); },
  div(other) { return arith.div(this, other); },
  pow(exponent) { return arith.pow(this, exponent); },
  maximum(other) { return arith.maximum(this, other); },
  minimum(other) { return arith.minimum(this, other); },
  neg() { return unary.neg(this); },
  exp() { return unary.exp(this); },
  log() { return unary.log(this); },
  sqrt() { return unary.sqrt(this); },
  rsqrt() { return unary.rsqrt(this); },
  abs() { return unary.abs(this); },
  sign() { return unary.sign(this); },
  sin() { return unary.sin(this); },
  cos() { return unary.cos(this); },
  tanh() { return unary.tanh(this); },
  sigmoid() { return unary.sigmoid(this); },
  relu() { return unary.relu(this); },
  reciprocal() { return unary.reciprocal(this); },
  erf() { return unary.erf(this); },
  floor() { return unary.floor(this); },
  ceil() { return unary.ceil(this); },
  round() { return unary.round(this); },
  clamp(min = null, max = null) { return unary.clamp(this, min, max); },
  clip(min = null, max = null) { return unary.clamp(this, min, max); },
  clampMin(min) { return sides.clampMin(this, min); },
  clampMax(max) { return sides.clampMax(this, max); },
  softmax(dim) { return red.softmax(this, dim); },
  logSoftmax(dim) { return red.logSoftmax(this, dim); },
  eq(other) { return arith.eq(this, other); },
  ne(other) { return arith.ne(this, other); },
  lt(other) { return arith.lt(this, other); },
  le(other) { return arith.le(this, other); },
  gt(other) { return arith.gt(this, other); },
  ge(other) { return arith.ge(this, other); },
  logicalNot() { return arith.logicalNot(this); },
  logicalAnd(other) { return arith.logicalAnd(this, other); },
  logicalOr(other) { return arith.logicalOr(this, other); },
  where(condition: TensorType, other: TensorLike) { return indexing.where(condition, this, other); },
});
