/**
 * `torch.nn.utils`: gradient clipping (`clip_grad_norm_`, `clip_grad_value_`, from @descent/optim),
 * `parameters_to_vector` / `vector_to_parameters`, `torch.nn.utils.rnn`, `prune` and `parametrize` (from @descent/nn).
 */
export { clipGradNorm_, clipGradValue_ } from '@descent/optim';
export { parametersToVector, vectorToParameters, rnn, prune, weightNorm, removeWeightNorm, spectralNorm, removeSpectralNorm, parametrize } from '@descent/nn/utils';
