/** `torch.distributions.utils`: parameter broadcasting and the probs <-> logits conversions every discrete distribution uses. */
import * as T from '@descent/tensor';
import { Tensor } from '@descent/tensor';
import { finfo } from './finfo.js';

/**
 * `broadcast_all(*values)`: numbers become tensors of the first tensor's dtype and device (the default dtype when
 * all are numbers), then all broadcast to one shape (views, as `torch.broadcast_tensors`).
 */
export function broadcastAll(...values: (Tensor | number)[]): Tensor[] {
  if (!values.every((v) => v instanceof Tensor || typeof v === 'number')) {
    throw new RangeError('Input arguments must all be instances of numbers.Number, torch.Tensor or objects implementing __torch_function__.');
  }
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  const options = first ? { dtype: first.dtype, device: first.device } : { dtype: T.getDefaultDtype() };
  return T.broadcastTensors(...values.map((v) => (v instanceof Tensor ? v : T.tensor(v, options))));
}

/** `logits_to_probs`: sigmoid for a binary distribution, softmax over the last dim otherwise. */
export function logitsToProbs(logits: Tensor, isBinary = false): Tensor {
  return isBinary ? T.sigmoid(logits) : T.softmax(logits, -1);
}

/** `clamp_probs`: keeps probabilities in `[eps, 1 - eps]` so their logits stay finite. */
export function clampProbs(probs: Tensor): Tensor {
  const { eps } = finfo(probs.dtype);
  return probs.clamp(eps, 1 - eps);
}

/** `probs_to_logits`: `log(p)`, or `log(p) - log1p(-p)` for a binary distribution, of the clamped probabilities. */
export function probsToLogits(probs: Tensor, isBinary = false): Tensor {
  const psClamped = clampProbs(probs);
  return isBinary ? T.log(psClamped).sub(T.log1p(psClamped.neg())) : T.log(psClamped);
}
