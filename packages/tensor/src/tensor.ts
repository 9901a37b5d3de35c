import { isContiguous, type DType, type View } from '@descent/backend';
import type { Device } from './device.js';
import { backwardEngine, GradNode } from './graph.js';
import { formatTensor } from './print/format.js';
import { NO_PARAMS } from './op-params.js';
import type { Storage } from './storage.js';
import { normalizeDim } from './shape.js';
import { DISPOSE } from './disposable.js';
import type { ViewReplay } from './op-params.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

const DETACH_VIEW_IN_PLACE =
  "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) for training, " +
  'and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and hence detach_() cannot be ' +
  'called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in ' +
  'torch/optim/optimizer.py as the solution.';

export interface BackwardOptions {
  retainGraph?: boolean;
}

/**
 * An n-dimensional array on a device, with PyTorch's semantics: strided views over shared storage, broadcasting
 * ops, and autograd history. Methods mirror `torch.Tensor` (camelCase for multi-word names).
 *
 * This file holds the state (storage, view, autograd) and the methods that need nothing else. The op methods
 * (`add`, `sum`, `view`, `add_`, `dataSync`, ...) live by concern in `methods/*.ts`, which declare them on this
 * class and delegate to the op modules; they import this file, never the other way, so there is no cycle.
 */
export class Tensor {
  private _grad: Tensor | null = null;
  private _gradFn: GradNode | null = null;
  private _requiresGrad = false;
  private _accumulateNode: GradNode | null = null;
  private _retainsGrad = false;
  private _v: View;
  /** @internal For a view made by a view op: the tensor it views (never itself a view) and how. */
  _base: Tensor | null = null;
  /** @internal */
  _replay: ViewReplay | null = null;
  /** @internal The storage version this view's history was made at; a newer one means its base changed in place. */
  _historyVersion = 0;
  /**
   * @internal An output (or a view of one) of an op returning several views (unbind) made while grad was recorded:
   * PyTorch's CreationMeta::MULTI_OUTPUT_NODE, which forbids writing it in place (ops/view-history.ts).
   */
  _multiOutputView = false;

  constructor(
    /** @internal */ readonly _storage: Storage,
    readonly shape: readonly number[],
    /** @internal */ readonly _strides: readonly number[],
    /** @internal */ readonly _offset: number,
    readonly dtype: DType,
  ) {
    // `new torch.Tensor([1, 2])`, PyTorch's legacy constructor, reaches here with data instead of a storage.
    if (_strides === undefined) throw new TypeError('torch.Tensor(data) is not a constructor here: use torch.tensor(data) (or torch.FloatTensor(data), the legacy form)');
    this._v = { shape, strides: _strides, offset: _offset };
  }

  /** The gradient, accumulated here by `backward()` when this is a leaf that requires grad (or retains grad). */
  get grad(): Tensor | null {
    return this._grad;
  }

  set grad(value: Tensor | null) {
    if (value !== null) checkAssignedGrad(this, value);
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

  /** `len(x)`: the size of the first dimension (PyTorch's `__len__`); a 0-d tensor has none. */
  get length(): number {
    if (this.shape.length === 0) throw new TypeError('len() of a 0-d tensor');
    return this.shape[0];
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
    return this.dtype === 'float32' || this.dtype === 'float64';
  }

  /** @internal The strided view kernels read. */
  _view(): View {
    return this._v;
  }

  // ---- autograd -------------------------------------------------------------------------------------------

  get requiresGrad(): boolean {
    // A multi-output view requires grad from its making on; reading the flag is no use of its history.
    if (this._base !== null && !this._multiOutputView) refreshView(this);
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
    if (value && this.dtype !== 'float32' && this.dtype !== 'float64') {
      throw new TypeError('Only Tensors of floating point and complex dtype can require gradients');
    }
    this._requiresGrad = value;
    return this;
  }

  get gradFn(): GradNode | null {
    if (this._base !== null) refreshView(this);
    return this._gradFn;
  }

  /** Leaves are tensors the user created (or that do not require grad); their `.grad` is populated. */
  get isLeaf(): boolean {
    return this.gradFn === null;
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

  /**
   * @internal The one metadata change after construction: PyTorch's in-place view ops (`t_`, `transpose_`,
   * `unsqueeze_`, `squeeze_`) give the tensor a new shape, strides and offset over the same storage
   * (ops/inplace-views.ts). `shape` stays read-only to everyone else; it is replaced by a new array, never mutated,
   * so whatever kept the old one (a node's input shapes) still reads the old shape.
   */
  _restride(shape: readonly number[], strides: readonly number[], offset: number): void {
    const self = this as { shape: readonly number[]; _strides: readonly number[]; _offset: number };
    self.shape = shape;
    self._strides = strides;
    self._offset = offset;
    this._v = { shape, strides, offset };
  }

  /** @internal Records that this tensor views `base` (a tensor that is not a view itself) as `replay` makes it. */
  _markView(base: Tensor, replay: ViewReplay): void {
    this._base = base;
    this._replay = replay;
    this._historyVersion = this._storage.version;
  }

  /** @internal The node that produced this tensor, as last recorded: no view's history regenerated. */
  _recordedGradFn(): GradNode | null {
    return this._gradFn;
  }

  /** @internal Attaches the node that produced this tensor. */
  _setHistory(node: GradNode): void {
    this._gradFn = node;
    this._requiresGrad = true;
    if (this._retainsGrad) node.retained = this;
  }

  /** @internal The node a consumer's edge points to: our grad_fn, or the leaf's AccumulateGrad. */
  _gradEdge(): GradNode {
    if (this._base !== null) refreshView(this);
    if (this._gradFn) return this._gradFn;
    this._accumulateNode ??= new GradNode('AccumulateGrad', [], [{ shape: this.shape, dtype: this.dtype }], NO_PARAMS, [], this);
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

  /**
   * Cuts this tensor from the graph in place, as `x.detach_()` (d2l's `for s in state: s.detach_()` between
   * truncated-BPTT batches): it becomes a leaf that does not require grad. A view cannot, as in PyTorch.
   */
  detach_(): this {
    if (this._base !== null) throw new Error(DETACH_VIEW_IN_PLACE);
    if (this._gradFn?.retained === this) this._gradFn.retained = null;
    this._gradFn = null;
    this._requiresGrad = false;
    this._retainsGrad = false;
    this._accumulateNode = null;
    return this;
  }

  /** `x.data` as in PyTorch: the same storage without history (prefer `noGrad`). */
  get data(): Tensor {
    return this.detach();
  }

  // ---- printing -------------------------------------------------------------------------------------------

  /** PyTorch's `repr(tensor)`, exactly. */
  toString(): string {
    if (!this.device.supports('readSync')) {
      const suffixes = reprSuffixes(this);
      return `tensor(<${this.shape.join('x') || 'scalar'} ${this.dtype} on ${this.device}: await tensor.toStringAsync() to read the values>${suffixes.length ? ', ' + suffixes.join(', ') : ''})`;
    }
    return formatTensor(this.dataSync(), this.shape, this.dtype, reprSuffixes(this));
  }

  /**
   * `Number(t)`, `+t`, `t > 0.5` read a one-element tensor's value, as Python's `float(t)`; template strings and
   * string concatenation (`${t}`) keep the repr.
   */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): number | string {
    if (hint !== 'number') return this.toString();
    if (this.numel() !== 1) throw new TypeError('only one element tensors can be converted to Python scalars');
    return Number(this.item());
  }

  async toStringAsync(): Promise<string> {
    return formatTensor(await this.dataAsync(), this.shape, this.dtype, reprSuffixes(this));
  }

  [INSPECT](): string {
    return this.toString();
  }

  /** `JSON.stringify(t)` writes the values as nested arrays (`tolist()`); a GPU tensor says to read it first. */
  toJSON(): unknown {
    return this.tolist();
  }

  // ---- disposal -------------------------------------------------------------------------------------------

  /**
   * Returns the storage to its backend now instead of waiting for garbage collection (views of it die too).
   * Only GPU memory benefits; on the CPU this just drops the data.
   */
  dispose(): void {
    this._storage.dispose();
  }

  get isDisposed(): boolean {
    return this._storage.disposed;
  }

  /** `using t = torch.ones(2)` disposes `t` at the end of the block. */
  [DISPOSE](): void {
    this.dispose();
  }
}

/** What PyTorch's repr adds after the values: the device, then grad_fn or requires_grad. */
function reprSuffixes(t: Tensor): string[] {
  const suffixes: string[] = [];
  if (t.device.type !== 'cpu') suffixes.push(`device='${t.device}'`);
  const gradFn = t.gradFn;
  if (gradFn) suffixes.push(`grad_fn=<${gradFn.name()}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return suffixes;
}

/**
 * Brings a view's history up to date after its base was written in place (PyTorch regenerates it as
 * `AsStridedBackward0`). Installed by `ops/view-history.ts`, which holds the ops this needs.
 */
let refreshView: (view: Tensor) => void = () => undefined;

/** @internal */
export function installViewRefresh(refresh: (view: Tensor) => void): void {
  refreshView = refresh;
}

/** PyTorch's checks on `x.grad = g`: a tensor of x's dtype, shape and device (autograd would misread anything else). */
function checkAssignedGrad(self: Tensor, value: unknown): void {
  if (!(value instanceof Tensor)) throw new TypeError(`assigned grad expected to be a Tensor or None but got grad of type ${typeof value}`);
  if (value.dtype !== self.dtype) throw new TypeError('assigned grad has data of a different type');
  if (value.device.type !== self.device.type) throw new Error('assigned grad has data located on a different device');
  if (value.shape.length !== self.shape.length || value.shape.some((n, d) => n !== self.shape[d])) throw new RangeError('assigned grad has data of a different size');
}
