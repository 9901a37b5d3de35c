import { Tensor } from '../tensor.js';
import type { TensorLike } from './scalar.js';
import { clamp } from './unary.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';

// torch.clamp_min and torch.clamp_max: one side of clamp, by a number or by a broadcast tensor, each printing
// PyTorch's own grad_fn (ClampMinBackward0 for a number, ClampMinBackward1 for a tensor).

/** `torch.clamp_min(x, min)`: values below `min` raised to it; NaN stays NaN. */
export function clampMin(x: Tensor, min: TensorLike): Tensor {
  if (!(min instanceof Tensor)) return presentAs(clamp(x, min as number, null), 'ClampMinBackward0', [x]);
  // x where x >= min (or NaN): the gradient goes to x there and to min elsewhere, as PyTorch's.
  return presentAs(where(x.lt(min), min, x), 'ClampMinBackward1', [x, min]);
}

/** `torch.clamp_max(x, max)`: values above `max` lowered to it; NaN stays NaN. */
export function clampMax(x: Tensor, max: TensorLike): Tensor {
  if (!(max instanceof Tensor)) return presentAs(clamp(x, null, max as number), 'ClampMaxBackward0', [x]);
  return presentAs(where(x.gt(max), max, x), 'ClampMaxBackward1', [x, max]);
}
