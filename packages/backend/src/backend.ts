import { DTYPES, type DType, type HostArray } from './dtype.js';
import type { BinaryOp, ReduceOp, UnaryOp } from './ops.js';
import type { ConvGeometry } from './conv-geometry.js';
import type { View } from './view.js';

/**
 * Bumped on any breaking change to `Backend`; the tensor layer refuses a backend built for another version.
 * 2: PyTorch's dtypes (float64, int64, int16, int8, uint8), `dtypes`, int64 sums and indices, bigint `fill`.
 */
export const SPEC_VERSION = 2;

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

/**
 * A FinalizationRegistry that can run the callbacks a garbage collection made due now, instead of in a later task
 * (`cleanupSome`, absent where the runtime has none).
 */
export interface SyncFinalizationRegistry<T> extends FinalizationRegistry<T> {
  cleanupSome?(): void;
}

/**
 * The runtime's garbage collector, run on demand, and the backend's rule for when a collection is worth it. The
 * tensor layer registers every storage of the backend's buffers in a registry from `createRegistry`; when
 * `collectionDue()` says so, it runs `collectGarbage()` and then the registry's due callbacks (which free the
 * buffers of storages no tensor references), all before the op that asked returns.
 */
export interface GarbageCollector {
  /** Whether the backend's live memory has grown enough since the last collection to pay for a full one now. */
  collectionDue(): boolean;
  collectGarbage(): void;
  createRegistry<T>(cleanup: (held: T) => void): SyncFinalizationRegistry<T>;
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
 *
 * **Dtypes.** Every kernel computes as PyTorch 1.13's CPU kernels do, in the dtype of its operands: float64 in
 * double precision, float32 rounded to float32 once per element and op, integers wrapping around in two's
 * complement like C++ (int32 `add` of 2^31 - 1 and 1 is -2^31, uint8 255 + 1 is 0, int64 exact to ±2^63 and
 * wrapping past it), bool as 0/1. The tensor layer promotes operands to one dtype first and rejects what PyTorch
 * rejects (bool `sub`, integer `exp`, float-to-int casts of values that do not fit), so a backend may assume that.
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
  /**
   * For a backend that is not garbage collected, where the runtime can collect synchronously (Node): lets the
   * tensor layer get unreachable tensors' buffers back inside a loop that never yields to the event loop, where
   * finalizers would otherwise wait (see {@link GarbageCollector}). Absent in browsers: memory comes back at the
   * loop's next await.
   */
  readonly collector?: GarbageCollector;
  /**
   * The dtypes this backend stores, when not all of `DTYPES` (WebGPU has no float64). `upload` and `alloc` of
   * another dtype throw an error naming it; the tensor layer and the conformance suite read this list.
   */
  readonly dtypes?: readonly DType[];

  /** A new buffer of `numel` elements; its contents are unspecified until written. */
  alloc(numel: number, dtype: DType): B;
  /** A new buffer holding a copy of `data`, whose TypedArray type is the dtype's (`TypedArrayFor<dtype>`). */
  upload(data: HostArray, dtype: DType): B;
  /** Returns the buffer's memory to the backend. The buffer must not be used afterwards. */
  free(buffer: B): void;
  /** Copies the first `numel` elements of a buffer to the host once every queued kernel has written it. */
  read(buffer: B, dtype: DType, numel: number): Promise<HostArray>;
  /** Synchronous read, only for backends whose memory the host can see (the CPU). */
  readSync?(buffer: B, dtype: DType, numel: number): HostArray;
  /** Waits for all queued work. */
  synchronize?(): Promise<void>;

  /**
   * Writes `value`, converted to `out.dtype` as PyTorch's `fill_` does (to an integer dtype by truncation toward
   * zero, to bool as `value != 0`), to every element of the view `out` of `buffer`. A bigint (exact for int64
   * values past 2^53) is given only for int64; the tensor layer checks that the value fits the dtype.
   */
  fill(out: Operand<B>, value: number | bigint): void;
  /**
   * Copies `src` into `dst` element by element (same shape and dtype: the tensor layer casts first); both may be
   * strided; `dst` may be a slice.
   */
  copy(src: Operand<B>, dst: Operand<B>): void;
  /**
   * Converts `x` to `dtype` into a new contiguous buffer, for every pair of dtypes, as C++'s `static_cast` does in
   * PyTorch: float to integer truncates toward zero, integer to integer keeps the low bits (int32 300 to int8 is
   * 44, int8 -1 to uint8 is 255), int64 and float64 to float32 round to nearest even once (int64 2^60 + 2^36 + 1
   * gives 2^60 + 2^37), anything to bool is `x != 0` (NaN is true). The tensor layer raises before casting a NaN,
   * an infinity or a float out of the integer dtype's range, so the result for those is unspecified.
   */
  cast(x: Operand<B>, dtype: DType): B;

  /** The op in `x`'s dtype (see `UNARY_OPS` for which ops take integer and bool inputs). */
  unary(op: UnaryOp, x: Operand<B>): B;
  /**
   * `a` and `b` share a dtype and the output shape (broadcast inputs carry stride 0). Integer `add`, `sub`, `mul`
   * and `pow` wrap around in the dtype; integer `div` truncates toward zero (see `BINARY_OPS`).
   */
  binary(op: BinaryOp, a: Operand<B>, b: Operand<B>): B;
  /** `cond` is bool; `a` and `b` share a dtype; all three have the output shape. */
  where(cond: Operand<B>, a: Operand<B>, b: Operand<B>): B;
  /**
   * Reduces the trailing `reducedDims` axes of `x`: the output has shape `x.view.shape.slice(0, -reducedDims)`.
   * The tensor layer permutes the reduced axes to the end first, through strides. The output dtype is
   * `reduceOutputDType(op, x.dtype)`, PyTorch's: `sum` and `prod` of an integer or bool input accumulate and
   * return int64 (exact, wrapping past ±2^63), of a float input the input dtype; `max` and `min` keep the input
   * dtype; `argmax` and `argmin` return int64 indices.
   */
  reduce(op: ReduceOp, x: Operand<B>, reducedDims: number): B;
  /**
   * Batched matrix product: `a` is [batch, m, k], `b` is [batch, k, n] (batch strides may be 0); output [batch, m, n]
   * in their dtype: float32, float64 or an integer dtype (integers accumulate in the dtype, wrapping around, as
   * PyTorch's CPU does; bool has no matmul).
   */
  matmul(a: Operand<B>, b: Operand<B>): B;
  /**
   * `out[i][j] = x[i][index[i][j]]` along `dim` (for rank 2; generally, the index replaces coordinate `dim`). Output
   * has index's shape and x's dtype; `index` is int64 or int32, its values in range (the backend may throw otherwise).
   */
  gather(x: Operand<B>, dim: number, index: Operand<B>): B;
  /**
   * A new buffer of `shape` (zeros, dtype of `src`) where `out[..index[i]..] += src[i]` along `dim`, adding in
   * `src`'s dtype (integers wrap around, bool adds as or); `index` is int64 or int32.
   */
  scatterAdd(shape: readonly number[], dim: number, index: Operand<B>, src: Operand<B>): B;

  // ---- optional fused kernels: the tensor layer composes the same math from primitives when absent ----------

  /** Softmax (or log-softmax) over the last axis of `x`'s view, into a contiguous buffer of the same shape. */
  softmax?(x: Operand<B>, log: boolean): B;
  /**
   * Per-row cross-entropy of `logits` [rows, classes] against int32 `target` [rows]:
   * `logsumexp(logits[r]) - logits[r, target[r]]`, into a buffer of `rows` elements.
   */
  crossEntropy?(logits: Operand<B>, target: Operand<B>): B;
  /**
   * int64 indices that sort each row of the last axis of `x`'s view (float or integer) ascending, or descending:
   * stable (equal values keep their order), NaN as the largest value, as PyTorch's sort. Output: x's shape.
   */
  argsort?(x: Operand<B>, descending: boolean): B;
  /**
   * Max pooling's winners in one pass: `x` is [rows, width] (float), `index` [rows, windows * window] (int64 or
   * int32, values in [0, width); its rows may broadcast with stride 0). For each row r and window w, the entry of
   * `index[r]` in `[w * window, (w + 1) * window)` whose element `x[r][entry]` is the first largest (NaN counting as
   * the largest, the first NaN winning), in the index's dtype [rows, windows]: `index` gathered at
   * `argmax(gather(x, 1, index).view(rows, windows, window), 2)`.
   */
  windowArgmax?(x: Operand<B>, index: Operand<B>, window: number): B;
  /**
   * A convolution's product with its windows gathered (im2col) in one kernel, float32: `weight` [G, Og, Kg], `x`
   * [N, M], `index` [G * Kg * L] (int64 or int32, values in [0, M)) the window reads, row `r = g * Kg + q` of the
   * columns reading `x[i][index[r * L + l]]`. Output [N, G, Og, L]: `weight[g] @ columns(x[i])[g]`, plus
   * `bias[g * Og + o]` (a [G * Og] float32 vector) on every position of output channel `(g, o)` when given, rounded
   * after the product as a separate add would be. `geometry`, when given, is the stride-1 convolution the table
   * reads (see ConvGeometry): a backend may use it to read the windows directly, after checking the table is its.
   */
  unfoldMatmul?(weight: Operand<B>, x: Operand<B>, index: Operand<B>, bias: Operand<B> | null, geometry?: ConvGeometry | null): B;
  /**
   * `unfoldMatmul`'s weight gradient from `grad` [N, G, Og, L]: `Σ_i grad[i, g] @ columns(x[i])[g]ᵀ`, [G, Og, Kg].
   * With `geometry`, each group's window rows may end with one more row reading x's last column at every position
   * (a column of ones: the bias's gradient comes out of the same product).
   */
  unfoldMatmulWeightGrad?(grad: Operand<B>, x: Operand<B>, index: Operand<B>, geometry?: ConvGeometry | null): B;
  /**
   * `unfoldMatmul`'s input gradient: `weight[g]ᵀ @ grad[i, g]` added into [N, width] zeros at the window reads
   * (col2im). With `geometry`, the padding element's entry (if any) may be left zero.
   */
  unfoldMatmulInputGrad?(weight: Operand<B>, grad: Operand<B>, index: Operand<B>, width: number, geometry?: ConvGeometry | null): B;
  /**
   * One LSTM step after its products (PyTorch's `_thnn_fused_lstm_cell`, the biases left in the products), float32:
   * `inputGates` and `hiddenGates` [B, 4H] hold the gates i, f, g, o in blocks of H columns, `cx` is [B, H]. Each
   * step rounds to float32 as the composed ops would: `gates = hiddenGates + inputGates`, `i, f, o = sigmoid`,
   * `g = tanh` of their blocks, `cy = f * cx + i * g`, `hy = o * tanh(cy)`. Returns contiguous `[hy, cy, workspace]`:
   * hy and cy [B, H], the workspace [B, 4H] the activations i, f, g, o, which `lstmCellBackward` reads.
   */
  lstmCell?(inputGates: Operand<B>, hiddenGates: Operand<B>, cx: Operand<B>): [B, B, B];
  /**
   * `lstmCell`'s backward from `gradHy` and `gradCy` [B, H] (null: zero, at least one given), with `cx`, `cy` and
   * the workspace it returned: `t = tanh(cy)`, `dc = gradCy + gradHy * o * (1 - t²)`, and the gradients of the four
   * gates' inputs `dc * g * i(1 - i)`, `dc * cx * f(1 - f)`, `dc * i * (1 - g²)`, `gradHy * t * o(1 - o)`. Returns
   * `[gradGates [B, 4H], gradCx = dc * f [B, H]]`; gradGates is the gradient of both inputGates and hiddenGates.
   */
  lstmCellBackward?(gradHy: Operand<B> | null, gradCy: Operand<B> | null, cx: Operand<B>, cy: Operand<B>, workspace: Operand<B>): [B, B];
  /**
   * One GRU step after its products (PyTorch's `_thnn_fused_gru_cell`), float32: `inputGates` and `hiddenGates`
   * [B, 3H] hold the gates r, z, n in blocks of H columns, `hx` is [B, H]. Rounding each step to float32:
   * `r = sigmoid(hiddenGates_r + inputGates_r)`, `z` likewise, `n = tanh(inputGates_n + hiddenGates_n * r)`,
   * `hy = (hx - n) * z + n`. Returns contiguous `[hy [B, H], workspace [B, 5H]]`, the workspace holding
   * r, z, n, hx and hiddenGates_n for `gruCellBackward`.
   */
  gruCell?(inputGates: Operand<B>, hiddenGates: Operand<B>, hx: Operand<B>): [B, B];
  /**
   * `gruCell`'s backward from `gradHy` [B, H] and its workspace: `dn = gradHy * (1 - z) * (1 - n²)`,
   * `dz = gradHy * (hx - n) * z(1 - z)`, `dr = dn * hiddenGates_n * r(1 - r)`. Returns `[gradInputGates [B, 3H]
   * (dr, dz, dn), gradHiddenGates [B, 3H] (dr, dz, dn * r), gradHx = gradHy * z [B, H]]` (hx's share through the
   * cell; its share through hiddenGates comes from their product's gradient).
   */
  gruCellBackward?(gradHy: Operand<B>, workspace: Operand<B>): [B, B, B];
  /** One SGD step in place on contiguous float32 buffers of `numel` elements. */
  sgdUpdate?(param: B, grad: B, momentumBuffer: B | null, numel: number, h: SgdUpdate): void;
  /** One Adam/AdamW step in place on contiguous float32 buffers of `numel` elements. */
  adamUpdate?(param: B, grad: B, expAvg: B, expAvgSq: B, maxExpAvgSq: B | null, numel: number, h: AdamUpdate): void;
}

/** The dtypes `backend` stores: its `dtypes`, or every dtype of the spec when it does not say. */
export function supportedDTypes(backend: Pick<Backend, 'dtypes'>): readonly DType[] {
  return backend.dtypes ?? DTYPES;
}
