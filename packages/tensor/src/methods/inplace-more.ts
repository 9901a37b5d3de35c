import * as arith from '../ops/arithmetic.js';
import * as sides from '../ops/clamp-sides.js';
import * as cumulative from '../ops/cumulative.js';
import type { CumulativeOptions } from '../ops/cumulative.js';
import * as inplace from '../ops/inplace.js';
import * as rounding from '../ops/rounding.js';
import type { TensorLike } from '../ops/scalar.js';
import * as triangular from '../ops/triangular.js';
import type { DimOr } from '../options.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods } from './define.js';

// In-place forms PyTorch has of ops that had only the out-of-place one here (cumsum_, clamp_min_, logical_and_,
// gcd_, ...) and fill_diagonal_: each computes out of place and writes through this tensor's view (ops/inplace.ts),
// a logical result converted to this tensor's dtype, as PyTorch's.
declare module '../tensor.js' {
  interface Tensor {
    cumsum_(dim: DimOr<number, CumulativeOptions>, options?: CumulativeOptions): this;
    cumprod_(dim: DimOr<number, CumulativeOptions>, options?: CumulativeOptions): this;
    clampMin_(min: TensorLike): this;
    clampMax_(max: TensorLike): this;
    logicalAnd_(other: TensorLike): this;
    logicalOr_(other: TensorLike): this;
    logicalXor_(other: TensorLike): this;
    logicalNot_(): this;
    gcd_(other: TensorType): this;
    lcm_(other: TensorType): this;
    /** `fill_diagonal_(fill_value, wrap=False)`. */
    fillDiagonal_(fillValue: number, wrap?: boolean): this;
  }
}

defineMethods({
  cumsum_(dim, options) { return inplace.apply(this, () => cumulative.cumsum(this, dim, options)); },
  cumprod_(dim, options) { return inplace.apply(this, () => cumulative.cumprod(this, dim, options)); },
  clampMin_(min) { return inplace.apply(this, () => sides.clampMin(this, min)); },
  clampMax_(max) { return inplace.apply(this, () => sides.clampMax(this, max)); },
  logicalAnd_(other) { return inplace.apply(this, () => arith.logicalAnd(this, other)); },
  logicalOr_(other) { return inplace.apply(this, () => arith.logicalOr(this, other)); },
  logicalXor_(other) { return inplace.apply(this, () => arith.logicalXor(this, other)); },
  logicalNot_() { return inplace.apply(this, () => arith.logicalNot(this)); },
  gcd_(other) { return inplace.apply(this, () => rounding.gcd(this, other)); },
  lcm_(other) { return inplace.apply(this, () => rounding.lcm(this, other)); },
  fillDiagonal_(fillValue, wrap = false) { return inplace.apply(this, () => triangular.filledDiagonal(this, fillValue, wrap)); },
});
