import * as arith from '../ops/arithmetic.js';
import * as linalg from '../ops/linalg.js';
import * as red from '../ops/reduction.js';
import { Tensor } from '../tensor.js';
import { defineMethods } from './define.js';
function max(arg, options) {
    if (arg === undefined)
        return red.amax(this);
    if (arg instanceof Tensor)
        return arith.maximum(this, arg);
    return red.maxDim(this, arg, options);
}
function min(arg, options) {
    if (arg === undefined)
        return red.amin(this);
    if (arg instanceof Tensor)
        return arith.minimum(this, arg);
    return red.minDim(this, arg, options);
}
defineMethods({
    sum(dim, options) { return red.sum(this, dim, options); },
    mean(dim, options) { return red.mean(this, dim, options); },
    prod(dim, options) { return red.prod(this, dim, options); },
    var(dim, options) { return red.variance(this, dim, options); },
    std(dim, options) { return red.std(this, dim, options); },
    max: max,
    min: min,
    amax(dim, options) { return red.amax(this, dim, options); },
    amin(dim, options) { return red.amin(this, dim, options); },
    argmax(dim, options) { return red.argmax(this, dim, options); },
    argmin(dim, options) { return red.argmin(this, dim, options); },
    matmul(other) { return linalg.matmul(this, other); },
    mm(other) { return linalg.mm(this, other); },
    bmm(other) { return linalg.bmm(this, other); },
});
//# sourceMappingURL=reductions.js.map