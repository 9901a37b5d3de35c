import * as arith from '../ops/arithmetic.js';
import * as inplace from '../ops/inplace.js';
import * as unary from '../ops/unary.js';
import { defineMethods } from './define.js';
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
    copy_(src) { return inplace.apply(this, () => (src.device === this.device ? src : src.to(this.device))); },
    fill_(value) { return inplace.fill(this, Number(value)); },
    zero_() { return inplace.fill(this, 0); },
    uniform_(from = 0, to = 1, options) { return inplace.uniform(this, from, to, options); },
    normal_(mean = 0, std = 1, options) { return inplace.normal(this, mean, std, options); },
    bernoulli_(p = 0.5, options) { return inplace.bernoulli(this, p, options); },
});
//# sourceMappingURL=inplace.js.map