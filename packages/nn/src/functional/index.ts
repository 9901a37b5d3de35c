// torch.nn.functional: the stateless forms of the layers and losses, PyTorch's names camelCased.
export { relu, leakyRelu, gelu, silu, sigmoid, tanh, softmax, logSoftmax } from './activation.js';
export { linear } from './linear.js';
export { bilinear } from './bilinear.js';
export { pixelShuffle, pixelUnshuffle } from './pixel-shuffle.js';
export { dropout, type DropoutOptions } from './dropout.js';
export { layerNorm, batchNorm } from './normalization.js';
export { groupNorm, instanceNorm, type AffineOptions, type BatchNormArgs, type InstanceNormArgs } from './normalization.js';
export { dropout1d, dropout2d, dropout3d } from './dropout.js';
export { normalize, type NormalizeArgs } from './lp-normalize.js';
export { interpolate, type InterpolateOptions, type InterpolateMode, type SizeArg, type ScaleFactorArg } from './interpolate.js';
export type { InplaceOption, LeakyReluOptions } from './activation.js';
export { elu, elu_, selu, selu_, celu, celu_, softplus, mish, logsigmoid, type EluOptions, type SoftplusOptions } from './exponential-activations.js';
export {
  hardtanh,
  hardtanh_,
  relu6,
  hardsigmoid,
  hardswish,
  softshrink,
  hardshrink,
  tanhshrink,
  softsign,
  threshold,
  threshold_,
  type HardtanhOptions,
  type LambdOption,
} from './piecewise-activations.js';
export { glu, prelu, softmin, relu_, leakyRelu_ } from './gated-activations.js';
export { embedding } from './embedding.js';
export { embeddingBag, type EmbeddingBagMode, type EmbeddingBagOptions } from './embedding-bag.js';
export { affineGrid } from './affine-grid.js';
export { gridSample, type GridSampleMode, type GridSamplePaddingMode, type GridSampleOptions } from './grid-sample.js';
export { unfold, fold, type PairArg, type SlidingBlockOptions } from './fold.js';
export { gumbelSoftmax, type GumbelSoftmaxOptions } from './gumbel-softmax.js';
export { upsample, type UpsampleFunctionalOptions } from './upsample.js';
export { mseLoss, l1Loss, smoothL1Loss, huberLoss, type SmoothL1Options, type HuberOptions } from './regression-loss.js';
export { nllLoss, crossEntropy, type NllLossOptions, type CrossEntropyOptions } from './classification-loss.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
} from './binary-loss.js';
export type { Reduction, ReductionOption } from './reduction.js';
export {
  marginRankingLoss,
  hingeEmbeddingLoss,
  softMarginLoss,
  multilabelSoftMarginLoss,
  cosineEmbeddingLoss,
  multiMarginLoss,
  tripletMarginLoss,
  type MarginOptions,
  type WeightOptions,
  type MultiMarginOptions,
  type TripletMarginOptions,
} from './margin-loss.js';
export { klDiv, poissonNllLoss, gaussianNllLoss, type KlDivOptions, type PoissonNllOptions, type GaussianNllOptions } from './probabilistic-loss.js';
export { cosineSimilarity, pairwiseDistance, pdist, type CosineSimilarityOptions, type PairwiseDistanceOptions } from './distance.js';
export {
  conv1d,
  conv2d,
  conv3d,
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  type ConvOptions,
  type ConvTransposeOptions,
  type ConvPadding,
  type BiasOption,
} from './conv.js';
export {
  maxPool1d,
  maxPool2d,
  maxPool3d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  adaptiveMaxPool3d,
  type MaxPoolOptions,
  type AvgPoolOptions,
  type AdaptiveSize,
  type KernelSize,
  type OutputSize,
} from './pooling.js';
export type { IntOrTuple } from './conv-args.js';
export { maxUnpool1d, maxUnpool2d, maxUnpool3d, type MaxUnpoolOptions } from './unpooling.js';
export { lpPool1d, lpPool2d, type LpPoolOptions, type LpPoolSizes } from './lp-pool.js';
export { localResponseNorm, type LocalResponseNormOptions } from './local-response-norm.js';
export { rrelu, rrelu_, type RreluOptions } from './rrelu.js';
export { alphaDropout, featureAlphaDropout } from './alpha-dropout.js';
export { channelShuffle } from './channel-shuffle.js';
export { tripletMarginWithDistanceLoss, type DistanceFunction, type TripletMarginWithDistanceOptions } from './triplet-distance-loss.js';
export { multilabelMarginLoss } from './multilabel-margin-loss.js';
export { ctcLoss, type CtcLossOptions, type Lengths } from './ctc-loss.js';
export { pad, oneHot, type PadMode, type PadOptions } from './pad.js';
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from './scaled-dot-product-attention.js';
export { multiHeadAttentionForward, type MultiHeadAttentionForwardOptions } from './multi-head-attention.js';
