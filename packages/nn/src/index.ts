// Training needs backward(): loading nn installs the autograd engine, as `import torch.nn` does in PyTorch.
import '@descent/autograd';
import './module-dicts.js';

// @descent/nn: PyTorch's torch.nn for Descent.
export {
  Module,
  type StateDictOptions,
  type LoadStateDictOptions,
  type ZeroGradOptions,
  type RegisterBufferOptions,
} from './module.js';
export type { ForwardPreHook, ForwardHook, FullBackwardHook } from './module-hooks.js';
export { Parameter } from './parameter.js';
export type { StateDict, StateDictLike, IncompatibleKeys } from './state-dict.js';
export { Linear, type LinearOptions } from './modules/linear.js';
export { Identity } from './modules/identity.js';
export {
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
  type ConvModuleOptions,
  type ConvTransposeModuleOptions,
  type ConvSizes,
  type PaddingMode,
} from './modules/conv.js';
export {
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AdaptiveMaxPool3d,
  type AdaptivePoolOptions,
} from './modules/pooling.js';
export { MaxUnpool1d, MaxUnpool2d, MaxUnpool3d, type MaxUnpoolModuleOptions } from './modules/unpooling.js';
export { LPPool1d, LPPool2d } from './modules/lp-pool.js';
export { LocalResponseNorm } from './modules/local-response-norm.js';
export { RReLU, type RReLUOptions } from './modules/rrelu.js';
export { ChannelShuffle } from './modules/channel-shuffle.js';
export { CTCLoss } from './modules/loss-ctc.js';
export { LazyLinear } from './modules/lazy-linear.js';
export { LazyConv1d, LazyConv2d, LazyConv3d } from './modules/lazy-conv.js';
export { LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d } from './modules/lazy-batch-norm.js';
export { Flatten, Unflatten } from './modules/flatten.js';
export {
  ZeroPad2d,
  ConstantPad1d,
  ConstantPad2d,
  ReflectionPad1d,
  ReflectionPad2d,
  ReplicationPad1d,
  ReplicationPad2d,
  type PaddingArg,
  type PaddingOptions,
} from './modules/padding.js';
export { PixelShuffle, PixelUnshuffle } from './modules/pixel-shuffle.js';
export { Bilinear, type BilinearOptions, type BilinearSizes } from './modules/bilinear.js';
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, SiLU, Softmax, LogSoftmax } from './modules/activation.js';
export { ELU, SELU, CELU, Softplus, Mish, LogSigmoid } from './modules/activation-exponential.js';
export { Hardtanh, ReLU6, Hardsigmoid, Hardswish, Softshrink, Hardshrink, Tanhshrink, Softsign, Threshold } from './modules/activation-piecewise.js';
export { GLU, PReLU, Softmin, Softmax2d, type PReLUOptions } from './modules/activation-gated.js';
export { Dropout } from './modules/dropout.js';
export { Embedding, type EmbeddingOptions, type FromPretrainedOptions } from './modules/embedding.js';
export { EmbeddingBag, type EmbeddingBagModuleOptions, type EmbeddingBagForwardOptions } from './modules/embedding-bag.js';
export { Unfold, Fold } from './modules/fold.js';
export { RNN, LSTM, GRU, type RNNOptions, type LSTMOptions, type GRUOptions, type RNNNonlinearity } from './modules/rnn.js';
export type { RNNSizes } from './modules/rnn-base.js';
export type { NumFeatures } from './modules/norm-base.js';
export { RNNCell, LSTMCell, GRUCell, type RNNCellOptions, type RNNCellBaseOptions } from './modules/rnn-cell.js';
export { LayerNorm, type LayerNormOptions } from './modules/layer-norm.js';
export { BatchNorm1d, type BatchNormOptions } from './modules/batch-norm.js';
export { BatchNorm2d, BatchNorm3d } from './modules/batch-norm.js';
export { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './modules/instance-norm.js';
export { GroupNorm, type GroupNormOptions } from './modules/group-norm.js';
export { Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout, type DropoutModuleOptions } from './modules/dropout.js';
export { Upsample, UpsamplingNearest2d, UpsamplingBilinear2d, type UpsampleOptions } from './modules/upsample.js';
export { Sequential } from './modules/sequential.js';
export { ModuleList } from './modules/module-list.js';
export { ModuleDict } from './modules/module-dict.js';
export { ParameterList } from './modules/parameter-list.js';
export { ParameterDict } from './modules/parameter-dict.js';
export {
  MSELoss,
  L1Loss,
  SmoothL1Loss,
  HuberLoss,
  CrossEntropyLoss,
  NLLLoss,
  BCELoss,
  BCEWithLogitsLoss,
} from './modules/loss.js';
export {
  MarginRankingLoss,
  HingeEmbeddingLoss,
  SoftMarginLoss,
  MultiLabelSoftMarginLoss,
  CosineEmbeddingLoss,
  MultiMarginLoss,
  TripletMarginLoss,
  TripletMarginWithDistanceLoss,
  MultiLabelMarginLoss,
} from './modules/loss-margin.js';
export { KLDivLoss, PoissonNLLLoss, GaussianNLLLoss } from './modules/loss-probabilistic.js';
export { CosineSimilarity, PairwiseDistance } from './modules/distance.js';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions } from './modules/multihead-attention.js';
export { TransformerEncoderLayer, type TransformerEncoderLayerForwardOptions } from './modules/transformer-encoder-layer.js';
export { TransformerDecoderLayer, type TransformerDecoderLayerForwardOptions } from './modules/transformer-decoder-layer.js';
export type { TransformerLayerOptions, TransformerLayerSizes, TransformerActivation } from './modules/transformer-layer-options.js';
export {
  TransformerEncoder,
  TransformerDecoder,
  type TransformerEncoderOptions,
  type TransformerEncoderForwardOptions,
  type TransformerDecoderOptions,
} from './modules/transformer-stacks.js';
export { Transformer, type TransformerOptions, type TransformerForwardOptions } from './modules/transformer.js';
export * as functional from './functional/index.js';
export * as init from './init.js';
