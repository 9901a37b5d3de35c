import * as arith from '../ops/arithmetic.js';
import * as inplace from '../ops/inplace.js';
import type { GeneratorOption } from '../ops/inplace.js';
import type { TensorLike } from '../ops/scalar.js';
import * as unary from '../ops/unary.js';
import type { AlphaOptions } from './math.js';
import { defineMethods } from './define.js';
import { bernoulliFrom } from '../ops/sampling.js';

// PyTorch's trailing underscore: each runs the out-of-place op, then writes through this tensor's view.
declare module '../tensor.js' {
  interface Tensor {
    add_(other: TensorLike, options?: AlphaOptions): this;
    sub_(other: TensorLike, options?: AlphaOptions): this;
    mul_(other: TensorLike): this;
    div_(other: TensorLike): this;
    pow_(exponent: TensorLike): this;
    neg_(): this;
    exp_(): this;
    sqrt_(): this;
    relu_(): this;
    sigmoid_(): this;
    tanh_(): this;
    clamp_(min?: number | null | { min?: number | null; max?: number | null }, max?: number | null): this;
    /** Copies `src` (broadcast, converted to this dtype) into this tensor. */
    copy_(src: Tensor): this;
    fill_(value: number | boolean): this;
    zero_(): this;
    uniform_(from?: number, to?: number, options?: GeneratorOption): this;
    normal_(mean?: number, std?: number, options?: GeneratorOption): this;
    /** Draws 0/1 with probability `p`, a number or a tensor of probabilities broadcast to this shape. */
    bernoulli_(p?: number | Tensor, options?: GeneratorOption): this;
  }
}

defineMethods({
  add_(other, options) { return inplace.apply(this, () => arith.add(this, other, options)); },
  sub_(other, options) { return inplace.apply(this, () => arith.sub(this, other, options)); },
  mul_(other) { return inplace.apply(this, () => arith.mul(this, other)); },
  div_(other) { return inplace.apply(this, () => arith.div(this, other)); },
  pow_(exponent) { return inplace.apply(this, () => arith.pow(this, exponent)); },
  neg_() { return inplace.apply(this, () => unary.neg(this)); },
  exp_() { return inplace.apply(this, () => unary.exp(this)); },
  sqrt_() { return inplace.apply(this, () => unary.sqrt(this)); },
  relu_() { return inplace.apply(this, () => unary.relu(this)); },
  sigmoid_() { return inplace.apply(this, () => unary.sigmoid(this)); },
  tanh_() { return inplace.apply(this, () => unary.tanh(this)); },
  clamp_(min = null, max = null) { return inplace.apply(this, () => unary.clamp(this, min, max)); },
  copy_(src) { return inplace.copyFrom(this, src); },
  fill_(value) { return inplace.fill(this, Number(value)); },
  zero_() { return inplace.fill(this, 0, 'zero'); },
  uniform_(from = 0, to = 1, options) { return inplace.uniform(this, from, to, options); },
  normal_(mean = 0, std = 1, options) { return inplace.normal(this, mean, std, options); },
  bernoulli_(p = 0.5, options) {
    if (typeof p === 'number') return inplace.bernoulli(this, p, options);
    return inplace.apply(this, () => bernoulliFrom(p, this.shape, options ?? {}));
  },
});
