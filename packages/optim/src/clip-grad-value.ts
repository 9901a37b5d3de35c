import { bindArgs, noGrad, type Tensor } from '@descent/tensor';
import { parametersWithGrad } from './clip-grad-norm.js';

/** Clamps every gradient of `parameters` in place to [-clipValue, clipValue], as `torch.nn.utils.clip_grad_value_`. */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, ...args: [clipValue: number] | [{ clipValue: number }]): void {
  // `clip_grad_value_(ps, clip_value=0.5)` written `{ clipValue: 0.5 }`.
  const { clipValue } = bindArgs<{ clipValue: number }>({ fn: 'clip_grad_value_', required: ['clipValue'], positional: [] }, args);
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) {
    throw new TypeError(`clipGradValue_(): clipValue must be a number, got ${String(clipValue)}`);
  }
  noGrad(() => {
    for (const grad of parametersWithGrad(parameters)) grad.clamp_(-clipValue, clipValue);
  });
}
