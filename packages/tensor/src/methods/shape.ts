import * as advanced from '../ops/advanced-indexing.js';
import type { DimOr } from '../options.js';
import * as indexing from '../ops/indexing.js';
import * as inplace from '../ops/inplace.js';
import type { IndexSpec } from '../ops/indexing.js';
import * as views from '../ops/views.js';
import * as whereNonzero from '../ops/where-nonzero.js';
import type { NonzeroOptions } from '../ops/where-nonzero.js';
import { setIndex, setIndex_ } from '../ops/set-index.js';
import { Tensor } from '../tensor.js';
import { defineMethods, flatArgs } from './define.js';

declare module '../tensor.js' {
  interface Tensor {
    view(...shape: number[] | [readonly number[]]): Tensor;
    reshape(...shape: number[] | [readonly number[]]): Tensor;
    viewAs(other: Tensor): Tensor;
    reshapeAs(other: Tensor): Tensor;
    flatten(startDim?: number | { startDim?: number; endDim?: number }, endDim?: number): Tensor;
    expand(...sizes: number[] | [readonly number[]]): Tensor;
    expandAs(other: Tensor): Tensor;
    permute(...dims: number[] | [readonly number[]]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    /** `x.T`: all dims reversed. */
    readonly T: Tensor;
    unsqueeze(dim: DimOr<number>): Tensor;
    squeeze(dim?: DimOr<number>): Tensor;
    /**
     * Indexing, as Python's `x[0, 1:3, ::2]` written `x.index(0, '1:3', '::2')`; a bool mask (`x.index(mask)`) or an
     * integer tensor (`x.index(':', idx)`) selects as PyTorch's advanced indexing does.
     */
    index(...specs: (IndexSpec | Tensor | readonly unknown[])[]): Tensor;
    /** `x[mask] = v` / `x[idx] = v` (`accumulate`: `+=`), in place: one bool mask or one integer index along dim 0. */
    /**
     * Python's `x[specs] = v` (and `index_put_`): `x.indexPut_([0, '1:3'], v)`, `x.indexPut_([':', idx], v)`,
     * `x.indexPut_([mask], v)`; the specs of `index()` in an array. `accumulate` adds instead (`x[idx] += v`).
     */
    indexPut_(indices: readonly (IndexSpec | Tensor | readonly unknown[])[], values: Tensor | number, accumulate?: boolean): this;
    indexPut(indices: readonly (IndexSpec | Tensor | readonly unknown[])[], values: Tensor | number, accumulate?: boolean): Tensor;
    /** `value` in the slices of `dim` that `index` names, in place. */
    indexFill_(dim: number, index: Tensor, value: number): this;
    indexFill(dim: number, index: Tensor, value: number): Tensor;
    maskedSelect(mask: Tensor): Tensor;
    nonzero(options?: NonzeroOptions & { asTuple?: false }): Tensor;
    nonzero(options: NonzeroOptions & { asTuple: true }): Tensor[];
    slice(dim: number, start?: number | null, end?: number | null, step?: number): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    contiguous(): Tensor;
    clone(): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
  }
}

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
  index(...specs) { return advanced.indexWithSpecs(this, specs); },
  indexPut_(indices, values, accumulate = false) { return setIndex_(this, indices, values, accumulate); },
  indexPut(indices, values, accumulate = false) { return setIndex(this, indices, values, accumulate); },
  indexFill_(dim, index, value) { return inplace.apply(this, () => advanced.indexFill(this, dim, index, value)); },
  indexFill(dim, index, value) { return advanced.indexFill(this, dim, index, value); },
  maskedSelect(mask) { return advanced.maskedSelect(this, mask); },
  nonzero(options?: NonzeroOptions) { return (whereNonzero.nonzero as (x: Tensor, o?: NonzeroOptions) => Tensor & Tensor[])(this, options); },
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
  get(this: Tensor) {
    return views.permute(this, this.shape.map((_, i) => this.shape.length - 1 - i));
  },
  configurable: true,
  enumerable: false,
});
