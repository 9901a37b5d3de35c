import { isContiguous, type DType, type HostArray, type View } from '@descent/backend';
import { device as resolveDevice, type Device, type DeviceLike } from './device.js';
import { backwardEngine, GradNode } from './graph.js';
import { formatTensor } from './print/format.js';
import type { Storage } from './storage.js';
import * as arith from './ops/arithmetic.js';
import * as unary from './ops/unary.js';
import * as red from './ops/reduction.js';
import * as views from './ops/views.js';
import * as indexing from './ops/indexing.js';
import * as linalg from './ops/linalg.js';
import * as inplace from './ops/inplace.js';
import * as transfer from './ops/transfer.js';
import { cast } from './ops/cast.js';
import type { TensorLike } from './ops/scalar.js';
import type { Dims, ReduceOptions, ValuesIndices, VarOptions } from './ops/reduction.js';
import type { IndexSpec } from './ops/indexing.js';
import { normalizeDim } from './shape.js';
import { DISPOSE } from './disposable.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export interface BackwardOptions {
  retainGraph?: boolean;
}

/**
 * An n-dimensional array on a device, with PyTorch's semantics: strided views over shared storage, broadcasting
 * ops, and autograd history. Methods mirror `torch.Tensor` (camelCase for multi-word names).
 */
export class Tensor {
  private _grad: Tensor | null = null;
  private _gradFn: GradNode | null = null;
  private _requiresGrad = false;
  private _accumulateNode: GradNode | null = null;
  private _retainsGrad = false;
  private readonly _v: View;

  constructor(
    /** @internal */ readonly _storage: Storage,
    readonly shape: readonly number[],
    /** @internal */ readonly _strides: readonly number[],
    /** @internal */ readonly _offset: number,
    readonly dtype: DType,
  ) {
    this._v = { shape, strides: _strides, offset: _offset };
  }

  /** The gradient, accumulated here by `backward()` when this is a leaf that requires grad (or retains grad). */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(value: Tensor | null) {
    // A gradient outlives the step that made it: scopes must not dispose it.
    if (value) value._storage.pinned = true;
    this._grad = value;
  }

  // ---- metadata -------------------------------------------------------------------------------------------

  get device(): Device {
    return this._storage.device;
  }

  get ndim(): number {
    return this.shape.length;
  }

  dim(): number {
    return this.shape.length;
  }

  size(): number[];
  size(dim: number): number;
  size(dim?: number): number | number[] {
    return dim === undefined ? this.shape.slice() : this.shape[normalizeDim(dim, this.shape.length)];
  }

  numel(): number {
    let n = 1;
    for (let i = 0; i < this.shape.length; i++) n *= this.shape[i];
    return n;
  }

  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number | number[] {
    return dim === undefined ? this._strides.slice() : this._strides[normalizeDim(dim, this.shape.length)];
  }

  storageOffset(): number {
    return this._offset;
  }

  isContiguous(): boolean {
    return isContiguous(this._view());
  }

  isFloatingPoint(): boolean {
    return this.dtype === 'float32';
  }

  /** @internal The strided view kernels read. */
  _view(): View {
    return this._v;
  }

  // ---- autograd -------------------------------------------------------------------------------------------

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }

  /** Sets requiresGrad in place and returns this tensor, as `x.requires_grad_()`. */
  requiresGrad_(value = true): this {
    if (this._gradFn && !value) {
      throw new Error(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().",
      );
    }
    if (value && this.dtype !== 'float32') {
      throw new TypeError('Only Tensors of floating point and complex dtype can require gradients');
    }
    this._requiresGrad = value;
    return this;
  }

  get gradFn(): GradNode | null {
    return this._gradFn;
  }

  /** Leaves are tensors the user created (or that do not require grad); their `.grad` is populated. */
  get isLeaf(): boolean {
    return this._gradFn === null;
  }

  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  /** Keeps `.grad` for this non-leaf tensor after `backward()`. */
  retainGrad(): void {
    if (!this._requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (this._gradFn) {
      this._gradFn.retained = this;
      this._retainsGrad = true;
    }
  }

  /** @internal Attaches the node that produced this tensor. */
  _setHistory(node: GradNode): void {
    this._gradFn = node;
    this._requiresGrad = true;
    if (this._retainsGrad) node.retained = this;
  }

  /** @internal The node a consumer's edge points to: our grad_fn, or the leaf's AccumulateGrad. */
  _gradEdge(): GradNode {
    if (this._gradFn) return this._gradFn;
    this._accumulateNode ??= new GradNode('AccumulateGrad', [], [{ shape: this.shape, dtype: this.dtype }], {}, [], this);
    return this._accumulateNode;
  }

  /** Computes gradients of this tensor with respect to the graph's leaves, as `tensor.backward()`. */
  backward(gradient?: Tensor | null, options: BackwardOptions = {}): void {
    backwardEngine().backward(this, gradient ?? null, options.retainGraph ?? false);
  }

  /** A tensor sharing storage that is cut from the graph. */
  detach(): Tensor {
    return new Tensor(this._storage, this.shape, this._strides, this._offset, this.dtype);
  }

  /** `x.data` as in PyTorch: the same storage without history (prefer `noGrad`). */
  get data(): Tensor {
    return this.detach();
  }

  // ---- reading values -------------------------------------------------------------------------------------

  /** The elements in row-major order, read synchronously (CPU only; use `dataAsync()` on a GPU). */
  dataSync(): HostArray {
    return transfer.readSync(this);
  }

  /** The elements in row-major order; works on every device. */
  dataAsync(): Promise<HostArray> {
    return transfer.readAsync(this);
  }

  /**
   * The value of a one-element tensor as a JS number, so `loss.item().toFixed(4)` type-checks; a bool tensor gives
   * 1 or 0.
   */
  item(): number {
    return transfer.item(this.dataSync());
  }

  async itemAsync(): Promise<number> {
    return transfer.item(await this.dataAsync());
  }

  /** Nested arrays of numbers (booleans for bool tensors), as `tensor.tolist()`. */
  tolist(): unknown {
    return transfer.nest(this, this.dataSync());
  }

  async tolistAsync(): Promise<unknown> {
    return transfer.nest(this, await this.dataAsync());
  }

  /** PyTorch's `repr(tensor)`, exactly. */
  toString(): string {
    const suffixes: string[] = [];
    if (this.device.type !== 'cpu') suffixes.push(`device='${this.device}'`);
    if (this._gradFn) suffixes.push(`grad_fn=<${this._gradFn.name()}>`);
    else if (this._requiresGrad) suffixes.push('requires_grad=True');
    if (!this.device.backend.readSync) {
      return `tensor(<${this.shape.join('x') || 'scalar'} ${this.dtype} on ${this.device}: await tensor.toStringAsync() to read the values>${suffixes.length ? ', ' + suffixes.join(', ') : ''})`;
    }
    return formatTensor(this.dataSync(), this.shape, this.dtype, suffixes);
  }

  async toStringAsync(): Promise<string> {
    const suffixes: string[] = [];
    if (this.device.type !== 'cpu') suffixes.push(`device='${this.device}'`);
    if (this._gradFn) suffixes.push(`grad_fn=<${this._gradFn.name()}>`);
    else if (this._requiresGrad) suffixes.push('requires_grad=True');
    return formatTensor(await this.dataAsync(), this.shape, this.dtype, suffixes);
  }

  [INSPECT](): string {
    return this.toString();
  }

  /** `JSON.stringify(t)` writes the values as nested arrays (`tolist()`); a GPU tensor says to read it first. */
  toJSON(): unknown {
    return this.tolist();
  }

  // ---- devices and dtypes ---------------------------------------------------------------------------------

  /** Moves to a device and/or converts the dtype: `x.to('webgpu')`, `x.to('float32')`. */
  to(target: DeviceLike | DType): Tensor {
    if (target === 'float32' || target === 'int32' || target === 'bool') return cast(this, target);
    return transfer.toDevice(this, resolveDevice(target));
  }

  /** `to(device)` that also works from a GPU, whose reads are asynchronous. */
  toAsync(target: DeviceLike): Promise<Tensor> {
    return transfer.toDeviceAsync(this, resolveDevice(target));
  }

  cpu(): Tensor {
    return this.to('cpu');
  }

  float(): Tensor {
    return cast(this, 'float32');
  }

  int(): Tensor {
    return cast(this, 'int32');
  }

  /** PyTorch's `long()`: int32 in Descent, which has no int64. */
  long(): Tensor {
    return cast(this, 'int32');
  }

  bool(): Tensor {
    return cast(this, 'bool');
  }

  // ---- arithmetic -----------------------------------------------------------------------------------------

  add(other: TensorLike, options?: { alpha?: number }): Tensor {
    return arith.add(this, other, options);
  }
  sub(other: TensorLike, options?: { alpha?: number }): Tensor {
    return arith.sub(this, other, options);
  }
  mul(other: TensorLike): Tensor {
    return arith.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return arith.div(this, other);
  }
  pow(exponent: TensorLike): Tensor {
    return arith.pow(this, exponent);
  }
  maximum(other: Tensor): Tensor {
    return arith.maximum(this, other);
  }
  minimum(other: Tensor): Tensor {
    return arith.minimum(this, other);
  }
  neg(): Tensor {
    return unary.neg(this);
  }
  exp(): Tensor {
    return unary.exp(this);
  }
  log(): Tensor {
    return unary.log(this);
  }
  sqrt(): Tensor {
    return unary.sqrt(this);
  }
  rsqrt(): Tensor {
    return unary.rsqrt(this);
  }
  abs(): Tensor {
    return unary.abs(this);
  }
  sign(): Tensor {
    return unary.sign(this);
  }
  sin(): Tensor {
    return unary.sin(this);
  }
  cos(): Tensor {
    return unary.cos(this);
  }
  tanh(): Tensor {
    return unary.tanh(this);
  }
  sigmoid(): Tensor {
    return unary.sigmoid(this);
  }
  relu(): Tensor {
    return unary.relu(this);
  }
  reciprocal(): Tensor {
    return unary.reciprocal(this);
  }
  erf(): Tensor {
    return unary.erf(this);
  }
  floor(): Tensor {
    return unary.floor(this);
  }
  ceil(): Tensor {
    return unary.ceil(this);
  }
  round(): Tensor {
    return unary.round(this);
  }
  clamp(min: number | null = null, max: number | null = null): Tensor {
    return unary.clamp(this, min, max);
  }
  clip(min: number | null = null, max: number | null = null): Tensor {
    return unary.clamp(this, min, max);
  }
  softmax(dim: number): Tensor {
    return red.softmax(this, dim);
  }
  logSoftmax(dim: number): Tensor {
    return red.logSoftmax(this, dim);
  }

  // ---- comparisons ----------------------------------------------------------------------------------------

  eq(other: TensorLike): Tensor {
    return arith.eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return arith.ne(this, other);
  }
  lt(other: TensorLike): Tensor {
    return arith.lt(this, other);
  }
  le(other: TensorLike): Tensor {
    return arith.le(this, other);
  }
  gt(other: TensorLike): Tensor {
    return arith.gt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return arith.ge(this, other);
  }
  logicalNot(): Tensor {
    return arith.logicalNot(this);
  }
  logicalAnd(other: TensorLike): Tensor {
    return arith.logicalAnd(this, other);
  }
  logicalOr(other: TensorLike): Tensor {
    return arith.logicalOr(this, other);
  }
  /** `cond.where(x, y)` is not PyTorch's order; PyTorch's `x.where(cond, y)` is `where(cond, x, y)`. */
  where(condition: Tensor, other: TensorLike): Tensor {
    return indexing.where(condition, this, other);
  }

  // ---- reductions -----------------------------------------------------------------------------------------

  sum(dim?: Dims, options?: ReduceOptions): Tensor {
    return red.sum(this, dim, options);
  }
  mean(dim?: Dims, options?: ReduceOptions): Tensor {
    return red.mean(this, dim, options);
  }
  prod(dim?: number, options?: ReduceOptions): Tensor {
    return red.prod(this, dim, options);
  }
  var(dim?: Dims, options?: VarOptions): Tensor {
    return red.variance(this, dim, options);
  }
  std(dim?: Dims, options?: VarOptions): Tensor {
    return red.std(this, dim, options);
  }
  /** `x.max()` is the largest value; `x.max(dim)` gives `{values, indices}`; `x.max(other)` is `maximum`. */
  max(): Tensor;
  max(dim: number, options?: ReduceOptions): ValuesIndices;
  max(other: Tensor): Tensor;
  max(arg?: number | Tensor, options?: ReduceOptions): Tensor | ValuesIndices {
    if (arg === undefined) return red.amax(this);
    if (arg instanceof Tensor) return arith.maximum(this, arg);
    return red.maxDim(this, arg, options);
  }
  min(): Tensor;
  min(dim: number, options?: ReduceOptions): ValuesIndices;
  min(other: Tensor): Tensor;
  min(arg?: number | Tensor, options?: ReduceOptions): Tensor | ValuesIndices {
    if (arg === undefined) return red.amin(this);
    if (arg instanceof Tensor) return arith.minimum(this, arg);
    return red.minDim(this, arg, options);
  }
  amax(dim?: Dims, options?: ReduceOptions): Tensor {
    return red.amax(this, dim, options);
  }
  amin(dim?: Dims, options?: ReduceOptions): Tensor {
    return red.amin(this, dim, options);
  }
  argmax(dim?: number, options?: ReduceOptions): Tensor {
    return red.argmax(this, dim, options);
  }
  argmin(dim?: number, options?: ReduceOptions): Tensor {
    return red.argmin(this, dim, options);
  }

  // ---- linear algebra -------------------------------------------------------------------------------------

  matmul(other: Tensor): Tensor {
    return linalg.matmul(this, other);
  }
  mm(other: Tensor): Tensor {
    return linalg.mm(this, other);
  }
  bmm(other: Tensor): Tensor {
    return linalg.bmm(this, other);
  }

  // ---- views and shape ------------------------------------------------------------------------------------

  view(...shape: number[] | [readonly number[]]): Tensor {
    return views.view(this, flatArgs(shape));
  }
  reshape(...shape: number[] | [readonly number[]]): Tensor {
    return views.reshape(this, flatArgs(shape));
  }
  viewAs(other: Tensor): Tensor {
    return views.view(this, other.shape);
  }
  reshapeAs(other: Tensor): Tensor {
    return views.reshape(this, other.shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return views.flatten(this, startDim, endDim);
  }
  expand(...sizes: number[] | [readonly number[]]): Tensor {
    return views.expand(this, flatArgs(sizes));
  }
  expandAs(other: Tensor): Tensor {
    return views.expand(this, other.shape);
  }
  permute(...dims: number[] | [readonly number[]]): Tensor {
    return views.permute(this, flatArgs(dims));
  }
  transpose(dim0: number, dim1: number): Tensor {
    return views.transpose(this, dim0, dim1);
  }
  t(): Tensor {
    return views.t(this);
  }
  /** `x.T`: all dims reversed. */
  get T(): Tensor {
    return views.permute(this, this.shape.map((_, i) => this.shape.length - 1 - i));
  }
  unsqueeze(dim: number): Tensor {
    return views.unsqueeze(this, dim);
  }
  squeeze(dim?: number): Tensor {
    return views.squeeze(this, dim);
  }
  /** Basic indexing, as Python's `x[0, 1:3, ::2]` written `x.index(0, '1:3', '::2')`. */
  index(...specs: IndexSpec[]): Tensor {
    return indexing.index(this, ...specs);
  }
  slice(dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
    return views.slice(this, dim, start, end, step);
  }
  narrow(dim: number, start: number, length: number): Tensor {
    return views.narrow(this, dim, start, length);
  }
  select(dim: number, index: number): Tensor {
    return views.select(this, dim, index);
  }
  contiguous(): Tensor {
    return views.contiguous(this);
  }
  clone(): Tensor {
    return views.clone(this);
  }
  gather(dim: number, index: Tensor): Tensor {
    return indexing.gather(this, dim, index);
  }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return indexing.scatterAdd(this, dim, index, src);
  }
  indexSelect(dim: number, index: Tensor): Tensor {
    return indexing.indexSelect(this, dim, index);
  }

  // ---- in place (PyTorch's trailing underscore) -----------------------------------------------------------

  add_(other: TensorLike, options?: { alpha?: number }): this {
    return inplace.apply(this, () => arith.add(this, other, options));
  }
  sub_(other: TensorLike, options?: { alpha?: number }): this {
    return inplace.apply(this, () => arith.sub(this, other, options));
  }
  mul_(other: TensorLike): this {
    return inplace.apply(this, () => arith.mul(this, other));
  }
  div_(other: TensorLike): this {
    return inplace.apply(this, () => arith.div(this, other));
  }
  pow_(exponent: TensorLike): this {
    return inplace.apply(this, () => arith.pow(this, exponent));
  }
  neg_(): this {
    return inplace.apply(this, () => unary.neg(this));
  }
  exp_(): this {
    return inplace.apply(this, () => unary.exp(this));
  }
  sqrt_(): this {
    return inplace.apply(this, () => unary.sqrt(this));
  }
  relu_(): this {
    return inplace.apply(this, () => unary.relu(this));
  }
  sigmoid_(): this {
    return inplace.apply(this, () => unary.sigmoid(this));
  }
  tanh_(): this {
    return inplace.apply(this, () => unary.tanh(this));
  }
  clamp_(min: number | null = null, max: number | null = null): this {
    return inplace.apply(this, () => unary.clamp(this, min, max));
  }
  /** Copies `src` (broadcast, converted to this dtype) into this tensor. */
  copy_(src: Tensor): this {
    return inplace.apply(this, () => (src.device === this.device ? src : src.to(this.device)));
  }
  fill_(value: number | boolean): this {
    return inplace.fill(this, Number(value));
  }
  zero_(): this {
    return inplace.fill(this, 0);
  }
  uniform_(from = 0, to = 1, options?: inplace.GeneratorOption): this {
    return inplace.uniform(this, from, to, options);
  }
  normal_(mean = 0, std = 1, options?: inplace.GeneratorOption): this {
    return inplace.normal(this, mean, std, options);
  }
  bernoulli_(p = 0.5, options?: inplace.GeneratorOption): this {
    return inplace.bernoulli(this, p, options);
  }

  // ---- disposal -------------------------------------------------------------------------------------------

  /**
   * Returns the storage to its backend now instead of waiting for garbage collection (views of it die too).
   * Only GPU memory benefits; on the CPU this just drops the data.
   */
  dispose(): void {
    transfer.dispose(this);
  }

  get isDisposed(): boolean {
    return this._storage.disposed;
  }

  /** `using t = torch.ones(2)` disposes `t` at the end of the block. */
  [DISPOSE](): void {
    this.dispose();
  }
}

function flatArgs(args: number[] | [readonly number[]]): readonly number[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly number[]) : (args as number[]);
}
