import type { AdamUpdate, DType, SgdUpdate } from '@descent/backend';

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

export interface DiffOpParams {
  add: NoParams; sub: NoParams; mul: NoParams; div: NoParams; pow: NoParams; maximum: NoParams; minimum: NoParams;
  powScalar: { readonly exponent: number };
  neg: NoParams; exp: NoParams; log: NoParams; sqrt: NoParams; rsqrt: NoParams; abs: NoParams; sign: NoParams;
  sin: NoParams; cos: NoParams; tanh: NoParams; sigmoid: NoParams; relu: NoParams; reciprocal: NoParams;
  erf: NoParams; round: NoParams; silu: NoParams; where: NoParams;
  clamp: { readonly min: number | null; readonly max: number | null };
  leakyRelu: { readonly negativeSlope: number };
  gelu: { readonly approximate: 'none' | 'tanh' };
  cast: { readonly dtype: DType };
  sum: NamedReduction; mean: NamedReduction; prod: NamedReduction;
  amax: Reduction; amin: Reduction; maxDim: Reduction; minDim: Reduction;
  var: VarianceParams; std: VarianceParams;
  softmax: { readonly dim: number }; logSoftmax: { readonly dim: number };
  /** `ignoreIndex` is null on the fused path, whose kernel treats every target as a class. */
  crossEntropy: { readonly reduction: LossReduction; readonly ignoreIndex: number | null };
  mseLoss: { readonly reduction: LossReduction };
  mm: NoParams; bmm: NoParams; addmm: NoParams;
  view: { readonly shape: readonly number[] };
  expand: { readonly shape: readonly number[] };
  permute: { readonly dims: readonly number[] };
  transpose: { readonly dim0: number; readonly dim1: number };
  t: NoParams;
  unsqueeze: { readonly dim: number };
  squeeze: { readonly dims: readonly number[]; readonly dimGiven: boolean };
  slice: { readonly dim: number; readonly start: number; readonly step: number; readonly length: number };
  select: { readonly dim: number; readonly index: number };
  clone: NoParams;
  cat: { readonly dim: number };
  stack: { readonly dim: number };
  gather: { readonly dim: number };
  scatterAdd: { readonly dim: number; readonly shape: readonly number[] };
}

/** Ops with no gradient: their results never carry history. */
export interface PlainOpParams {
  eq: NoParams; ne: NoParams; lt: NoParams; le: NoParams; logicalNot: NoParams;
  /** `logicalAnd`/`logicalOr` of bool operands, computed as their minimum/maximum. */
  logicalAnd: NoParams; logicalOr: NoParams;
  floor: NoParams; ceil: NoParams;
  argmax: Reduction; argmin: Reduction;
  /** A new tensor filled with one value. */
  full: { readonly shape: readonly number[]; readonly value: number; readonly dtype: DType };
  /** A new tensor from host memory. */
  upload: { readonly shape: readonly number[]; readonly dtype: DType };
  /** Copies input 0 (broadcast) through input 1's view: the write of every in-place op. */
  copyInto: NoParams;
  /** Fills input 0's view with one value. */
  fill: { readonly value: number };
  /** A copy on another device. */
  toDevice: NoParams;
  /** One fused optimizer step over whole parameter buffers (inputs: param, grad, state buffers). */
  sgdStep: SgdUpdate;
  adamStep: AdamUpdate;
}

export type OpParams = DiffOpParams & PlainOpParams;
export type DiffOp = keyof DiffOpParams;
export type OpName = keyof OpParams;
