export {
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsInput,
  type OptimizerStateDict,
  type StateValue,
  type ZeroGradOptions,
} from './optimizer.js';
export {
  isOptimizerStateDict,
  toPyTorchStateDict,
  fromPyTorchStateDict,
  type PyTorchOptimizerStateDict,
} from './pytorch-state-dict.js';
export { SGD, type SGDHyperparameters, type SGDOptions, type SGDState } from './sgd.js';
export { Adam, type AdamHyperparameters, type AdamOptions, type AdamState } from './adam.js';
export { AdamW, type AdamWOptions } from './adamw.js';
export { RMSprop, type RMSpropHyperparameters, type RMSpropOptions, type RMSpropState } from './rmsprop.js';
export { Adagrad, type AdagradHyperparameters, type AdagradOptions, type AdagradState } from './adagrad.js';
export { Adadelta, type AdadeltaHyperparameters, type AdadeltaOptions, type AdadeltaState } from './adadelta.js';
export { Adamax, type AdamaxHyperparameters, type AdamaxOptions, type AdamaxState } from './adamax.js';
export { NAdam, type NAdamHyperparameters, type NAdamOptions, type NAdamState } from './nadam.js';
export { RAdam, type RAdamHyperparameters, type RAdamOptions, type RAdamState } from './radam.js';
export { LBFGS, type LBFGSHyperparameters, type LBFGSOptions, type LBFGSState } from './lbfgs.js';
export { Rprop, type RpropHyperparameters, type RpropOptions, type RpropState } from './rprop.js';
export { ASGD, type ASGDHyperparameters, type ASGDOptions, type ASGDState } from './asgd.js';
export { SparseAdam, type SparseAdamHyperparameters, type SparseAdamOptions, type SparseAdamState } from './sparse-adam.js';
export * as lrScheduler from './lr-scheduler/index.js';
export { clipGradNorm_, type ClipGradNormOptions } from './clip-grad-norm.js';
export { clipGradValue_ } from './clip-grad-value.js';
