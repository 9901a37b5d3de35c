import './methods/index.js';

export { Tensor, type BackwardOptions } from './tensor.js';
export type { AlphaOptions } from './methods/index.js';
export { onOp, type OpEvent, type OpHook } from './gate.js';
export { RemovableHandle, type TensorHook } from './hooks.js';
export type { OpParams, DiffOpParams, PlainOpParams, OpName, MultiOutputOp, CellParams, NoParams, Reduction, NamedReduction, VarianceParams, ViewPlacement, ViewReplay } from './op-params.js';
export type { ConvGeometry, DType } from '@descent/backend';
export { Device, device, cpu, registerBackend, unregisterBackend, isDeviceAvailable, type DeviceLike, type OptionalBackendMethod } from './device.js';
export { scope, keep, unscoped, Scope } from './scope.js';
export { noGrad, enableGrad, isGradEnabled, setGradEnabled } from './grad-mode.js';
export {
  GradNode,
  GRAD_FN_NAMES,
  installBackwardEngine,
  type BackwardEngine,
  type DiffOp,
  type InputMeta,
  type NodeOp,
  type NodeParams,
} from './graph.js';
export { promoteTypes } from './dtype.js';
export * from './dtypes.js';
export * from './ops/creation.js';
// The torch.* functions that take out= (the methods do not).
export { abs, add, rsub, bmm, cat, ceil, cos, div, dot, eq, erf, erfc, exp, exp2, expm1, floor, fmod, frac, ge, gt, le, log, log10, log1p, log2, logicalAnd, logicalNot, logicalOr, logicalXor, lt, matmul, maximum, minimum, mm, mul, ne, neg, outer, reciprocal, remainder, round, rsqrt, sigmoid, sign, sin, sqrt, square, stack, sub, tanh, trunc } from './ops/out-variants.js';
export type { OutOption } from './ops/out-argument.js';
export { pow, allclose } from './ops/arithmetic.js';
export { relu, clamp, clamp as clip, leakyRelu, gelu, silu } from './ops/unary.js';
export { clampMin, clampMax } from './ops/clamp-sides.js';
export { cdist, type CdistComputeMode, type CdistOptions } from './ops/cdist.js';
export { leakyRelu_, silu_ } from './ops/inplace-activations.js';
export { sum, mean, prod, variance as var, std, amax, amin, argmax, argmin, softmax, logSoftmax, maxDim, minDim, ValuesIndices, type Dims, type ReduceOptions, type VarOptions } from './ops/reduction.js';
export { addmm } from './ops/linalg.js';
export { mseLossOp, type LossReduction } from './ops/mse-loss.js';
export { view, reshape, flatten, expand, permute, transpose, t, unsqueeze, squeeze, slice, narrow, select, clone, contiguous } from './ops/views.js';
export { index, sliceSpec, gather, gatherChecked, scatterAdd, scatterAddZeros, indexSelect, where, type IndexSpec, type SliceSpec } from './ops/indexing.js';
export { cast } from './ops/cast.js';
export { tril, triu, diag } from './ops/triangular.js';
export { maskedFill, all, any } from './ops/masked.js';
export { chunk, split, repeatInterleave, flip, roll, type RepeatInterleaveOptions } from './ops/split.js';
export { norm, logsumexp, type NormOrder, type NormOptions } from './ops/norms.js';
export { sort, argsort, topk, type SortOptions, type TopkKeywordOptions, type TopkOptions } from './ops/sorting.js';
export { windowArgmax } from './ops/window-argmax.js';
export { presentAs } from './ops/present-as.js';
export { unfoldMatmul, unfoldMatmulWeightGrad, unfoldMatmulInputGrad, unfoldColumns, composedInputGrad, type UnfoldMatmulOptions } from './ops/unfold-matmul.js';
export { lstmCell, gruCell, lstmCellBackward, gruCellBackward, hasFusedCell, type FusedCell } from './ops/rnn-cells.js';
export { cumsum, cumprod, type CumulativeOptions } from './ops/cumulative.js';
export { maskedSelect, nonzero } from './ops/advanced-indexing.js';
export { einsum } from './ops/einsum.js';
export { sinc, deg2rad, rad2deg, xlogy, hypot, logaddexp } from './ops/special-math.js';
export { lgamma } from './ops/lgamma.js';
export { floorDivide, trueDivide } from './ops/rounding.js';
export { trunc as fix } from './ops/out-variants.js';
export { atan, atan as arctan, atan2, atan2 as arctan2 } from './ops/arctangent.js';
export { lerp, addcmul, addcdiv, fmax, fmin, type ValueOptions } from './ops/blend.js';
export { isnan, isinf, isfinite, isposinf, isneginf, signbit, sgn, nanToNum, isclose, equal, heaviside, type NanToNumOptions, type IsCloseOptions } from './ops/float-classes.js';
export { bitwiseAnd, bitwiseOr, bitwiseXor, bitwiseNot } from './ops/bitwise.js';
export { numel, ravel, tile, broadcastTo, broadcastShapes, broadcastTensors, movedim, movedim as moveaxis, swapaxes, swapaxes as swapdims, unflatten, rot90, meshgrid, type MeshgridOptions } from './ops/reshaping.js';
export { unbind } from './ops/unbind.js';
export { hstack, vstack, vstack as rowStack, dstack, columnStack, tensorSplit, hsplit, vsplit, dsplit, blockDiag, atleast1d, atleast2d, atleast3d } from './ops/stacking.js';
export { scatter, indexAdd, indexCopy, take, takeAlongDim, type ScatterOptions } from './ops/scatter.js';
export { diagonal, diagEmbed, trace, triuIndices, trilIndices, type IndicesOptions } from './ops/diagonals.js';
export { kron, cross, tensordot, mv, addmv, baddbmm, addbmm, type ScaleOptions } from './ops/products.js';
export { diff, countNonzero, argwhere, logspace, cartesianProd, type DiffOptions, type LogspaceOptions } from './ops/sequences.js';
export { multinomial, type MultinomialOptions } from './ops/multinomial.js';
export { median, nanmedian, kthvalue, mode, msort } from './ops/order-statistics.js';
export { quantile, nanquantile, type QuantileOptions, type QuantileInterpolation } from './ops/quantile.js';
export { nansum, nanmean, type NanReduceOptions } from './ops/nan-reductions.js';
export { aminmax, stdMean, varMean, MinMax, type AminmaxOptions } from './ops/paired-reductions.js';
export { cummax, cummin, logcumsumexp } from './ops/running.js';
export { unique, uniqueConsecutive, type UniqueOptions, type UniqueConsecutiveOptions } from './ops/unique.js';
export { bincount, histc, searchsorted, bucketize, type SearchsortedOptions, type BucketizeOptions } from './ops/binning.js';
export { cov, corrcoef, type CovOptions } from './ops/covariance.js';
export { normal, bernoulli, poisson, randintLike } from './ops/sampling.js';
export { setDefaultDtype, getDefaultDtype, isFloatingPoint, inferenceMode } from './ops/settings.js';
export { det, inv as inverse } from './ops/linalg-solve.js';
export { cholesky } from './ops/linalg-factor.js';
export * as linalg from './ops/linalg-namespace.js';
export { checkOptionKeys, isOptionsObject } from './options.js';
export { bindArgs, type ArgSpec, type ArgsThenOptions } from './call-args.js';
export { crossEntropyLoss, type CrossEntropyReduction } from './ops/cross-entropy.js';
export { fusedSgdStep_, fusedAdamStep_ } from './ops/fused-optim.js';
export { resultType, type TensorLike } from './ops/scalar.js';
export { Generator, defaultGenerator, manualSeed, initialSeed, seed, getRngState, setRngState } from './random/index.js';
export { setPrintOptions, setPrintOptions as setPrintoptions, PrintOptions } from './print/format.js';
export { max, min } from './ops/extremum.js';
export { detach, isTensor } from './ops/misc.js';
export { viewScatter, outsideView } from './ops/view-history.js';
export { applyCustomFunction, type CustomFunction } from './ops/custom-function.js';
export { encodeSafetensors, decodeSafetensors, SafetensorsError, type DecodedSafetensors } from './serialization/safetensors.js';
export { encodeTorchCheckpoint, decodeTorchCheckpoint } from './serialization/torch-checkpoint.js';
export { CheckpointError } from './serialization/checkpoint-error.js';
