import type { Tensor } from '../tensor.js';
import { apply } from './inplace.js';
import { leakyRelu, silu } from './unary.js';

// In-place activations as nn's `inplace=True` layers need them. They go through `apply`, like every in-place
// method, so the activation's node keeps the input values it saved (PyTorch saves the result instead); writing the
// out-of-place result back with `copy_` would leave that node reading overwritten values at backward time.

/** `F.leaky_relu_(x, negative_slope=0.01)`: leaky ReLU written into `x`. */
export function leakyRelu_<T extends Tensor>(x: T, negativeSlope = 0.01): T {
  const out = apply(x, () => leakyRelu(x, negativeSlope));
  // PyTorch's in-place kernel saves its result: a node of its own, LeakyReluBackward1.
  if (out.gradFn !== null && out.gradFn.op === 'leakyRelu') out.gradFn.displayName = 'LeakyReluBackward1';
  return out;
}

/** `F.silu(x, inplace=True)`: `x * sigmoid(x)` written into `x`. */
export function silu_<T extends Tensor>(x: T): T {
  return apply(x, () => silu(x));
}
