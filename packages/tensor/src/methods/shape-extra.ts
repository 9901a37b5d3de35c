import * as diagonals from '../ops/diagonals.js';
import * as inplace from '../ops/inplace.js';
import * as indexing from '../ops/indexing.js';
import * as products from '../ops/products.js';
import type { ScaleOptions } from '../ops/products.js';
import * as reshaping from '../ops/reshaping.js';
import * as scatter from '../ops/scatter.js';
import type { ScatterOptions, ScatterValueOptions } from '../ops/scatter.js';
import * as sequences from '../ops/sequences.js';
import type { DiffOptions } from '../ops/sequences.js';
import { unbind as unbindOp } from '../ops/unbind.js';
import * as stacking from '../ops/stacking.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods, flatArgs } from './define.js';

// Tensor methods of the shape, scatter, diagonal and product ops (ops/reshaping.ts, stacking.ts, scatter.ts,
// diagonals.ts, products.ts, sequences.ts), with their in-place forms.
declare module '../tensor.js' {
  interface Tensor {
    unbind(dim?: number): Tensor[];
    tile(...dims: number[] | [readonly number[]]): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    /** The elements in order as one dim, as `x.ravel()`. */
    ravel(): Tensor;
    movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    moveaxis(source: number | readonly number[], destination: number | readonly number[]): Tensor;
    swapaxes(axis0: number, axis1: number): Tensor;
    swapdims(dim0: number, dim1: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    rot90(k?: number, dims?: readonly number[]): Tensor;
    tensorSplit(sectionsOrIndices: number | readonly number[], dim?: number): Tensor[];
    hsplit(sections: number | readonly number[]): Tensor[];
    vsplit(sections: number | readonly number[]): Tensor[];
    dsplit(sections: number | readonly number[]): Tensor[];
    take(index: TensorType): Tensor;
    takeAlongDim(indices: TensorType, dim?: number | null): Tensor;
    scatter(dim: number, index: TensorType, src: TensorType | number | ScatterValueOptions, options?: ScatterOptions): Tensor;
    scatter_(dim: number, index: TensorType, src: TensorType | number | ScatterValueOptions, options?: ScatterOptions): this;
    scatterAdd_(dim: number, index: TensorType, src: TensorType): this;
    indexAdd(dim: number, index: TensorType, source: TensorType, options?: { alpha?: number }): Tensor;
    indexAdd_(dim: number, index: TensorType, source: TensorType, options?: { alpha?: number }): this;
    indexCopy(dim: number, index: TensorType, source: TensorType): Tensor;
    indexCopy_(dim: number, index: TensorType, source: TensorType): this;
    diagonal(offset?: number, dim1?: number, dim2?: number): Tensor;
    diagEmbed(offset?: number, dim1?: number, dim2?: number): Tensor;
    trace(): Tensor;
    diff(n?: number | (DiffOptions & { n?: number; dim?: number }), dim?: number, options?: DiffOptions): Tensor;
    countNonzero(dim?: number | readonly number[]): Tensor;
    argwhere(): Tensor;
    kron(other: TensorType): Tensor;
    cross(other: TensorType, dim?: number | null): Tensor;
    mv(vec: TensorType): Tensor;
    addmv(mat: TensorType, vec: TensorType, options?: ScaleOptions): Tensor;
    addmv_(mat: TensorType, vec: TensorType, options?: ScaleOptions): this;
    addmm(mat1: TensorType, mat2: TensorType, options?: ScaleOptions): Tensor;
    addmm_(mat1: TensorType, mat2: TensorType, options?: ScaleOptions): this;
    baddbmm(batch1: TensorType, batch2: TensorType, options?: ScaleOptions): Tensor;
    baddbmm_(batch1: TensorType, batch2: TensorType, options?: ScaleOptions): this;
    addbmm(batch1: TensorType, batch2: TensorType, options?: ScaleOptions): Tensor;
    addbmm_(batch1: TensorType, batch2: TensorType, options?: ScaleOptions): this;
  }
}

defineMethods({
  unbind(dim = 0) { return unbindOp(this, dim); },
  tile(...dims) { return reshaping.tile(this, flatArgs(dims)); },
  broadcastTo(shape) { return reshaping.broadcastTo(this, shape); },
  ravel() { return reshaping.ravel(this); },
  movedim(source, destination) { return reshaping.movedim(this, source, destination); },
  moveaxis(source, destination) { return reshaping.movedim(this, source, destination); },
  swapaxes(axis0, axis1) { return reshaping.swapaxes(this, axis0, axis1); },
  swapdims(dim0, dim1) { return reshaping.swapaxes(this, dim0, dim1); },
  unflatten(dim, sizes) { return reshaping.unflatten(this, dim, sizes); },
  rot90(k = 1, dims = [0, 1]) { return reshaping.rot90(this, k, dims); },
  tensorSplit(sectionsOrIndices, dim = 0) { return stacking.tensorSplit(this, sectionsOrIndices, dim); },
  hsplit(sections) { return stacking.hsplit(this, sections); },
  vsplit(sections) { return stacking.vsplit(this, sections); },
  dsplit(sections) { return stacking.dsplit(this, sections); },
  take(index) { return scatter.take(this, index); },
  takeAlongDim(indices, dim) { return scatter.takeAlongDim(this, indices, dim); },
  scatter(dim, index, src, options) { return scatter.scatter(this, dim, index, src, options); },
  scatter_(dim, index, src, options) { return inplace.apply(this, () => scatter.scatter(this, dim, index, src, options)); },
  scatterAdd_(dim, index, src) { return inplace.apply(this, () => indexing.scatterAdd(this, dim, index, src)); },
  indexAdd(dim, index, source, options) { return scatter.indexAdd(this, dim, index, source, options); },
  indexAdd_(dim, index, source, options) { return inplace.apply(this, () => scatter.indexAdd(this, dim, index, source, options)); },
  indexCopy(dim, index, source) { return scatter.indexCopy(this, dim, index, source); },
  indexCopy_(dim, index, source) { return inplace.apply(this, () => scatter.indexCopy(this, dim, index, source)); },
  diagonal(offset = 0, dim1 = 0, dim2 = 1) { return diagonals.diagonal(this, offset, dim1, dim2); },
  diagEmbed(offset = 0, dim1 = -2, dim2 = -1) { return diagonals.diagEmbed(this, offset, dim1, dim2); },
  trace() { return diagonals.trace(this); },
  diff(n = 1, dim = -1, options = {}) { return sequences.diff(this, n, dim, options); },
  countNonzero(dim) { return sequences.countNonzero(this, dim); },
  argwhere() { return sequences.argwhere(this); },
  kron(other) { return products.kron(this, other); },
  cross(other, dim) { return products.cross(this, other, dim); },
  mv(vec) { return products.mv(this, vec); },
  addmv(mat, vec, options) { return products.addmv(this, mat, vec, options); },
  addmv_(mat, vec, options) { return inplace.apply(this, () => products.addmv(this, mat, vec, options)); },
  addmm(mat1, mat2, options) { return products.addmmScaled(this, mat1, mat2, options); },
  addmm_(mat1, mat2, options) { return inplace.apply(this, () => products.addmmScaled(this, mat1, mat2, options)); },
  baddbmm(batch1, batch2, options) { return products.baddbmm(this, batch1, batch2, options); },
  baddbmm_(batch1, batch2, options) { return inplace.apply(this, () => products.baddbmm(this, batch1, batch2, options)); },
  addbmm(batch1, batch2, options) { return products.addbmm(this, batch1, batch2, options); },
  addbmm_(batch1, batch2, options) { return inplace.apply(this, () => products.addbmm(this, batch1, batch2, options)); },
});
