import * as indexing from '../ops/indexing.js';
import * as views from '../ops/views.js';
import { Tensor } from '../tensor.js';
import { defineMethods, flatArgs } from './define.js';
defineMethods({
    view(...shape) { return views.view(this, flatArgs(shape)); },
    reshape(...shape) { return views.reshape(this, flatArgs(shape)); },
    viewAs(other) { return views.view(this, other.shape); },
    reshapeAs(other) { return views.reshape(this, other.shape); },
    flatten(startDim = 0, endDim = -1) { return views.flatten(this, startDim, endDim); },
    expand(...sizes) { return views.expand(this, flatArgs(sizes)); },
    expandAs(other) { return views.expand(this, other.shape); },
    permute(...dims) { return views.permute(this, flatArgs(dims)); },
    transpose(dim0, dim1) { return views.transpose(this, dim0, dim1); },
    t() { return views.t(this); },
    unsqueeze(dim) { return views.unsqueeze(this, dim); },
    squeeze(dim) { return views.squeeze(this, dim); },
    index(...specs) { return indexing.index(this, ...specs); },
    slice(dim, start = null, end = null, step = 1) { return views.slice(this, dim, start, end, step); },
    narrow(dim, start, length) { return views.narrow(this, dim, start, length); },
    select(dim, index) { return views.select(this, dim, index); },
    contiguous() { return views.contiguous(this); },
    clone() { return views.clone(this); },
    gather(dim, index) { return indexing.gather(this, dim, index); },
    scatterAdd(dim, index, src) { return indexing.scatterAdd(this, dim, index, src); },
    indexSelect(dim, index) { return indexing.indexSelect(this, dim, index); },
});
Object.defineProperty(Tensor.prototype, 'T', {
    get() {
        return views.permute(this, this.shape.map((_, i) => this.shape.length - 1 - i));
    },
    configurable: true,
    enumerable: false,
});
//# sourceMappingURL=shape.js.map