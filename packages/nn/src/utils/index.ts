// `torch.nn.utils` as @descent/nn holds it (the `@descent/nn/utils` entry); gradient clipping lives in
// @descent/optim, and @descent/torch puts both under `torch.nn.utils`.
export { parametersToVector, vectorToParameters } from './convert-parameters.js';
export { weightNorm, removeWeightNorm } from './weight-norm.js';
export { spectralNorm, removeSpectralNorm, type SpectralNormOptions } from './spectral-norm.js';
export * as rnn from './rnn.js';
export * as parametrize from './parametrize.js';
export * as prune from './prune.js';
