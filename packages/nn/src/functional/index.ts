// torch.nn.functional: the stateless forms of the layers and losses, PyTorch's names camelCased.
export { relu, leakyRelu, gelu, silu, sigmoid, tanh, softmax, logSoftmax } from './activation.js';
export { linear } from './linear.js';
export { dropout, type DropoutOptions } from './dropout.js';
export { layerNorm, batchNorm } from './normalization.js';
export { embedding } from './embedding.js';
export { mseLoss, l1Loss, smoothL1Loss, huberLoss, type SmoothL1Options, type HuberOptions } from './regression-loss.js';
export { nllLoss, crossEntropy, type NllLossOptions, type CrossEntropyOptions } from './classification-loss.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyOptions,
  type BinaryCrossEntropyWithLogitsOptions,
} from './binary-loss.js';
export type { Reduction, ReductionOption } from './reduction.js';
