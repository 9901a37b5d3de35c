import type { AdamUpdate, ConvGeometry, DType, SgdUpdate } from '@descent/backend';
import type { Device } from './device.js';
import type { Tensor } from './tensor.js';

/**
 * The parameters of every op, one type per op (as jax-js types each primitive's params), so a forward, a gradient
 * rule or a hook reads `params.dim` with its real type. The keys of `DiffOpParams` are the ops autograd
 * differentiates; `@descent/autograd` holds one rule per key, so adding one without its rule fails to compile.
 */

/** An op that takes no parameters beyond its inputs. */
export type NoParams = Readonly<Record<string, never>>;

export const NO_PARAMS: NoParams = Object.freeze({});

export type LossReduction = 'none' | 'mean' | 'sum';

/** Reduced dims (normalized, ascending) and whether they stay as size 1. */
export interface Reduction {
  readonly dims: readonly number[];
  readonly keepdim: boolean;
}

/** A reduction whose PyTorch grad_fn name says whether a dim was given (`SumBackward0` vs `SumBackward1`). */
export interface NamedReduction extends Reduction {
  readonly dimGiven: boolean;
}

export interface VarianceParams extends Reduction {
  /** Bessel's correction: the divisor is `count - correction`. */
  readonly correction: number;
}

/**
 * How a view was made from its base: the view ops replayed on any tensor of the base's shape (`t => t.select(0, 1)`).
 * Autograd replays it on gradients, so it works for bases of any layout.
 */
export type ViewReplay = (base: Tensor) => Tensor;

/** Where a view lies in its base. */
export interface ViewPlacement {
  readonly baseShape: readonly number[];
  readonly replay: ViewReplay;
}

/** A fused recurrent cell's node: whether the backend's kernel ran and saved its workspace (the gates' activations) last. */
export interface CellParams {
  readonly workspace: boolean;
}

export interface DiffOpParams {
  add: NoParams; sub: NoParams; mul: NoParams; div: NoParams; pow: NoParams; maximum: NoParams; minimum: NoParams;
  powScalar: { readonly exponent: number };
  neg: NoParams; exp: NoParams; log: NoParams; sqrt: NoParams; rsqrt: NoParams; abs: NoParams; sign: NoParams;
  sin: NoParams; cos: NoParams; tanh: NoParams; sigmoid: NoParams; relu: NoParams; reciprocal: NoParams;
  erf: NoParams; round: NoParams; floor: NoParams; ceil: NoParams; silu: NoParams; where: NoParams;
  clamp: { readonly min: number | null; readonly max: number | null };
  leakyRelu: { readonly negativeSlope: number };
  gelu: { readonly approximate: 'none' | 'tanh' };
  cast: { readonly dtype: DType };
  /** A copy on another device (`x.to(device)`, `toAsync`); its rule copies the gradient back `to` -> `from`. */
  toDevice: { readonly from: Device; readonly to: Device };
  sum: NamedReduction; mean: NamedReduction; prod: NamedReduction;
  amax: Reduction; amin: Reduction; maxDim: Reduction; minDim: Reduction;
  var: VarianceParams; std: VarianceParams;
  softmax: { readonly dim: number }; logSoftmax: { readonly dim: number };
  /** `ignoreIndex` is null on the fused path, whose kernel treats every target as a class. */
  crossEntropy: { readonly reduction: LossReduction; readonly ignoreIndex: number | null };
  mseLoss: { readonly reduction: LossReduction };
  mm: NoParams; bmm: NoParams; addmm: NoParams;
  /** `as`: the PyTorch op whose node this view prints (`reshape`'s `ReshapeAliasBackward0` and `UnsafeViewBackward0`). */
  view: { readonly shape: readonly number[]; readonly as?: 'reshapeAlias' | 'unsafeView' };
  expand: { readonly shape: readonly number[] };
  permute: { readonly dims: readonly number[] };
  transpose: { readonly dim0: number; readonly dim1: number };
  t: NoParams;
  unsqueeze: { readonly dim: number };
  squeeze: { readonly dims: readonly number[]; readonly dimGiven: boolean };
  slice: { readonly dim: number; readonly start: number; readonly step: number; readonly length: number };
  select: { readonly dim: number; readonly index: number };
  /** `unbind`: every slice along `dim` at once, each a view with an `outputPart` node (ops/unbind.ts). */
  unbind: { readonly dim: number };
  clone: NoParams;
  cat: { readonly dim: number };
  stack: { readonly dim: number };
  gather: { readonly dim: number };
  scatterAdd: { readonly dim: number; readonly shape: readonly number[] };
  /** A convolution's product with its windows gathered (`ops/unfold-matmul.ts`), viewed as `shape`. */
  unfoldMatmul: { readonly shape: readonly number[]; readonly readers: Tensor | null; readonly geometry: ConvGeometry | null };
  /**
   * PyTorch's fused LSTM cell (`ops/rnn-cells.ts`): outputs hy and cy, each a tensor with an `outputPart` node.
   * `workspace`: the backend's kernel ran and saved the gates' activations for its fused backward.
   */
  lstmCell: CellParams;
  /** PyTorch's fused GRU cell: one output, hy. */
  gruCell: CellParams;
  /** One output of an op with several (`MultiOutputOp`): the engine files its gradient under `index` in the op's node. */
  outputPart: { readonly index: number };
  /** A base after an in-place write through one of its views: inputs are the base before and the value written. */
  copySlices: ViewPlacement;
  /** A view whose base was written in place after the view was made: its history, regenerated from the base's. */
  asStrided: ViewPlacement;
  /** Zeros of the base's shape with the input written where the view lies: the adjoint of a view. */
  viewScatter: ViewPlacement;
  /** In-place writes that replace a tensor's values: the old values get no gradient. */
  copy: NoParams; zero: NoParams; fillScalar: NoParams; uniform: NoParams; normal: NoParams; bernoulli: NoParams;
  /**
   * A `torch.autograd.Function` subclass applied (`ops/custom-function.ts`): its grad_fn name (`CubeBackward`) and
   * its backward, from the gradient of its output (its differentiable outputs' gradients, flattened and packed into
   * one vector, when it has several) to one gradient per tensor argument.
   */
  customFunction: { readonly name: string; readonly backward: (grad: Tensor) => (Tensor | null)[] };
  /** One output of a Function with several differentiable ones: where its gradient lies in the packed vector. */
  functionOutput: ViewPlacement & { readonly name: string };
}

/** Ops with no gradient: their results never carry history. */
export interface PlainOpParams {
  eq: NoParams; ne: NoParams; lt: NoParams; le: NoParams; logicalNot: NoParams;
  /** `logicalAnd`/`logicalOr` of bool operands, computed as their minimum/maximum. */
  logicalAnd: NoParams; logicalOr: NoParams;
  argmax: Reduction; argmin: Reduction;
  /** Stable sorting order along `dim` (NaN largest); values come from a differentiable gather at these indices. */
  argsort: { readonly dim: number; readonly descending: boolean };
  /** Max pooling's winners: the index entry at each window's first largest element (`windowArgmax`). */
  windowArgmax: { readonly window: number };
  /** `unfoldMatmul`'s gradients, run inside its rule (`ops/unfold-matmul.ts`). */
  unfoldMatmulWeightGrad: { readonly geometry: ConvGeometry | null };
  unfoldMatmulInputGrad: { readonly width: number; readonly geometry: ConvGeometry | null };
  /** The fused cells' backwards, run inside their rules (`ops/rnn-cells.ts`). */
  lstmCellBackward: NoParams;
  gruCellBackward: NoParams;
  /** A new tensor filled with one value. */
  full: { readonly shape: readonly number[]; readonly value: number; readonly dtype: DType };
  /** A new tensor from host memory. */
  upload: { readonly shape: readonly number[]; readonly dtype: DType };
  /** Copies input 0 (broadcast) through input 1's view: the write of every in-place op. */
  copyInto: NoParams;
  /** Fills input 0's view with one value. */
  fill: { readonly value: number };
  /** One fused optimizer step over whole parameter buffers (inputs: param, grad, state buffers). */
  sgdStep: SgdUpdate;
  adamStep: AdamUpdate;
}

export type OpParams = DiffOpParams & PlainOpParams;
export type DiffOp = keyof DiffOpParams;
/**
 * Differentiable ops with several outputs: their node's rule takes one gradient per output (null where none
 * arrived), which the engine collects from the outputs' `outputPart` nodes, as PyTorch's multi-output nodes.
 */
export type MultiOutputOp = 'lstmCell' | 'unbind';
export type OpName = keyof OpParams;
