import { scalarTypeName } from '../dtype.js';
import * as arith from '../ops/arithmetic.js';
import * as inplace from '../ops/inplace.js';
import * as misc from '../ops/misc.js';
import * as norms from '../ops/norms.js';
import type { NormOrder } from '../ops/norms.js';
import * as products from '../ops/products.js';
import type { TensorLike } from '../ops/scalar.js';
import * as rounding from '../ops/rounding.js';
import * as special from '../ops/special-math.js';
import * as splitting from '../ops/split.js';
import * as scatters from '../ops/view-scatters.js';
import * as diagonals from '../ops/diagonals.js';
import * as unary from '../ops/unary.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods } from './define.js';

// Tensor methods under PyTorch's other names (negative, absolute, positive) and the small products and powers
// (inner, vdot, dist, float_power, logaddexp2), type_as, unfold, gcd and lcm, and the view scatters (ops/products.ts,
// norms.ts, arithmetic.ts, special-math.ts, split.ts, rounding.ts, view-scatters.ts, diagonals.ts).
declare module '../tensor.js' {
  interface Tensor {
    negative(): Tensor;
    negative_(): this;
    absolute(): Tensor;
    absolute_(): this;
    positive(): Tensor;
    inner(other: TensorType): Tensor;
    vdot(other: TensorType): Tensor;
    dist(other: TensorType, p?: NormOrder): Tensor;
    floatPower(exponent: TensorLike): Tensor;
    /** In place only on a float64 tensor: the result is always float64. */
    floatPower_(exponent: TensorLike): this;
    logaddexp2(other: TensorLike): Tensor;
    /** `x.type_as(other)`: x in other's dtype (x itself when they match). */
    typeAs(other: TensorType): Tensor;
    /** `x.unfold(dimension, size, step)`: sliding windows as a new last dim. */
    unfold(dimension: number, size: number, step: number): Tensor;
    gcd(other: TensorType): Tensor;
    selectScatter(src: TensorType, dim: number, index: number): Tensor;
    sliceScatter(src: TensorType, dim?: number, start?: number | null, end?: number | null, step?: number): Tensor;
    diagonalScatter(src: TensorType, offset?: number, dim1?: number, dim2?: number): Tensor;
    lcm(other: TensorType): Tensor;
  }
}

defineMethods({
  negative() { return unary.neg(this); },
  negative_() { return inplace.apply(this, () => unary.neg(this)); },
  absolute() { return unary.abs(this); },
  absolute_() { return inplace.apply(this, () => unary.abs(this)); },
  positive() { return misc.positive(this); },
  inner(other) { return products.inner(this, other); },
  vdot(other) { return products.vdot(this, other); },
  dist(other, p = 2) { return norms.dist(this, other, p); },
  floatPower(exponent) { return arith.floatPower(this, exponent); },
  floatPower_(exponent) {
    if (this.dtype !== 'float64') {
      throw new TypeError(`the base given to float_power_ has dtype ${scalarTypeName(this.dtype)} but the operation's result requires dtype Double`);
    }
    return inplace.apply(this, () => arith.floatPower(this, exponent));
  },
  logaddexp2(other) { return special.logaddexp2(this, other); },
  typeAs(other) { return this.dtype === other.dtype ? this : this.to(other.dtype); },
  unfold(dimension, size, step) { return splitting.unfold(this, dimension, size, step); },
  gcd(other) { return rounding.gcd(this, other); },
  selectScatter(src, dim, index) { return scatters.selectScatter(this, src, dim, index); },
  sliceScatter(src, dim = 0, start = null, end = null, step = 1) { return scatters.sliceScatter(this, src, dim, start, end, step); },
  diagonalScatter(src, offset = 0, dim1 = 0, dim2 = 1) { return diagonals.diagonalScatter(this, src, offset, dim1, dim2); },
  lcm(other) { return rounding.lcm(this, other); },
});
