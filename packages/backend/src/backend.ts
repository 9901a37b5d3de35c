import type { DType, HostArray } from './dtype.js';
import type { BinaryOp, ReduceOp, UnaryOp } from './ops.js';
import type { View } from './view.js';

/** Bumped on any breaking change to `Backend`; the tensor layer refuses a backend built for another version. */
export const SPEC_VERSION = 1;

/** Hyperparameters of one fused SGD step (PyTorch 1.13's single-tensor SGD). */
export interface SgdUpdate {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
  /** The momentum buffer is created from this step's gradient (PyTorch's first step). */
  readonly firstStep: boolean;
}

/** Hyperparameters of one fused Adam/AdamW step; `step` counts from 1. */
export interface AdamUpdate {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** AdamW: decay the parameter instead of adding weight decay to the gradient. */
  readonly decoupled: boolean;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  readonly step: number;
}

/** An input to a kernel: a backend buffer read through a strided view. */
export interface Operand<B> {
  readonly buffer: B;
  readonly view: View;
  readonly dtype: DType;
}

/**
 * A compute backend. Buffers are opaque to the tensor layer. Inputs arrive as strided views (broadcasting and
 * transposes already expressed as strides); outputs are fresh contiguous buffers of `numel(shape)` elements,
 * except `copy`, which writes through a view so in-place ops can update slices.
 *
 * Kernels are enqueued in call order; a backend may run them later (a GPU batches them) as long as `read`
 * observes every earlier write.
 */
export interface Backend<B = unknown> {
  readonly specVersion: typeof SPEC_VERSION;
  /** Device type this backend serves, as in `torch.device('cpu')`. */
  readonly name: string;
  /**
   * True when buffers are ordinary JS objects that garbage collection reclaims (the CPU). Otherwise the tensor
   * layer calls `free` for every buffer whose tensors became unreachable, or on `dispose()`.
   */
  readonly gcManaged?: boolean;

  /** A new buffer of `numel` elements; its contents are unspecified until written. */
  alloc(numel: number, dtype: DType): B;
  /** A new buffer holding a copy of `data` (whose TypedArray type matches `dtype`). */
  upload(data: HostArray, dtype: DType): B;
  /** Returns the buffer's memory to the backend. The buffer must not be used afterwards. */
  free(buffer: B): void;
  /** Copies the first `numel` elements of a buffer to the host once every queued kernel has written it. */
  read(buffer: B, dtype: DType, numel: number): Promise<HostArray>;
  /** Synchronous read, only for backends whose memory the host can see (the CPU). */
  readSync?(buffer: B, dtype: DType, numel: number): HostArray;
  /** Waits for all queued work. */
  synchronize?(): Promise<void>;

  /** Writes `value` to every element of the view `out` of `buffer`. */
  fill(out: Operand<B>, value: number): void;
  /** Copies `src` into `dst` element by element (same shape); both may be strided; `dst` may be a slice. */
  copy(src: Operand<B>, dst: Operand<B>): void;
  /** Converts `x` to `dtype` into a new contiguous buffer (float to int truncates toward zero). */
  cast(x: Operand<B>, dtype: DType): B;

  unary(op: UnaryOp, x: Operand<B>): B;
  /** `a` and `b` share a dtype and the output shape (broadcast inputs carry stride 0). */
  binary(op: BinaryOp, a: Operand<B>, b: Operand<B>): B;
  /** `cond` is bool; `a` and `b` share a dtype; all three have the output shape. */
  where(cond: Operand<B>, a: Operand<B>, b: Operand<B>): B;
  /**
   * Reduces the trailing `reducedDims` axes of `x`: the output has shape `x.view.shape.slice(0, -reducedDims)`.
   * The tensor layer permutes the reduced axes to the end first, through strides.
   */
  reduce(op: ReduceOp, x: Operand<B>, reducedDims: number): B;
  /** Batched matrix product: `a` is [batch, m, k], `b` is [batch, k, n] (batch strides may be 0); output [batch, m, n]. */
  matmul(a: Operand<B>, b: Operand<B>): B;
  /** `out[i][j] = x[i][index[i][j]]` along `dim` (for rank 2; generally, the index replaces coordinate `dim`). Output has index's shape. */
  gather(x: Operand<B>, dim: number, index: Operand<B>): B;
  /** A new buffer of `shape` (zeros, dtype of `src`) where `out[..index[i]..] += src[i]` along `dim`. */
  scatterAdd(shape: readonly number[], dim: number, index: Operand<B>, src: Operand<B>): B;

  // ---- optional fused kernels: the tensor layer composes the same math from primitives when absent ----------

  /** Softmax (or log-softmax) over the last axis of `x`'s view, into a contiguous buffer of the same shape. */
  softmax?(x: Operand<B>, log: boolean): B;
  /**
   * Per-row cross-entropy of `logits` [rows, classes] against int32 `target` [rows]:
   * `logsumexp(logits[r]) - logits[r, target[r]]`, into a buffer of `rows` elements.
   */
  crossEntropy?(logits: Operand<B>, target: Operand<B>): B;
  /** One SGD step in place on contiguous float32 buffers of `numel` elements. */
  sgdUpdate?(param: B, grad: B, momentumBuffer: B | null, numel: number, h: SgdUpdate): void;
  /** One Adam/AdamW step in place on contiguous float32 buffers of `numel` elements. */
  adamUpdate?(param: B, grad: B, expAvg: B, expAvgSq: B, maxExpAvgSq: B | null, numel: number, h: AdamUpdate): void;
}
