/**
 * `torch.nn.utils`: gradient clipping (`clip_grad_norm_`, `clip_grad_value_`, from @descent/optim),
 * `parameters_to_vector` / `vector_to_parameters`, `torch.nn.utils.rnn` and `torch.nn.utils.prune` (from @descent/nn).
 */
export { clipGradNorm_, clipGradValue_ } from '@descent/optim';
export { parametersToVector, vectorToParameters, rnn, prune, weightNorm, removeWeightNorm, spectralNorm, removeSpectralNorm } from '@descent/nn/utils';
