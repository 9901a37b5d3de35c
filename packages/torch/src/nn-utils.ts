/** `torch.nn.utils`: gradient clipping, as `torch.nn.utils.clip_grad_norm_` and `clip_grad_value_`. */
export { clipGradNorm_, clipGradValue_ } from '@descent/optim';
