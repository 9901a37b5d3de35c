import { presentAs, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { pad } from './pad.js';
import { avgPool2d, avgPool3d } from './pooling.js';

export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}

/**
 * Each element divided by `(k + alpha * mean of x^2 over the `size` neighbouring channels)^beta`, as
 * `F.local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0)`: PyTorch's composition (a zero-padded
 * average pool across channels), so values and gradients follow its rounding.
 */
export function localResponseNorm(input: Tensor, size: number, ...args: ArgsThenOptions<[alpha: number, beta: number, k: number], LocalResponseNormOptions>): Tensor;
/** `size` by keyword too: `F.localResponseNorm(x, { size: 2 })`. */
export function localResponseNorm(input: Tensor, options: LocalResponseNormOptions & { size: number }): Tensor;
export function localResponseNorm(input: Tensor, ...args: unknown[]): Tensor {
  const o = bindArgs<LocalResponseNormOptions & { size: number }>({ fn: 'local_response_norm', required: ['size'], positional: ['alpha', 'beta', 'k'] }, args);
  const { size, alpha = 1e-4, beta = 0.75, k = 1 } = o;
  const dim = input.ndim;
  if (dim < 3) {
    // PyTorch's message, with the spaces of its source's line continuation.
    throw new RangeError(`Expected 3D or higher dimensionality                          input (got ${dim} dimensions)`);
  }
  if (input.numel() === 0) return input;
  let div = input.mul(input).unsqueeze(1);
  const [before, after] = [Math.floor(size / 2), Math.floor((size - 1) / 2)];
  if (dim === 3) {
    div = avgPool2d(pad(div, [0, 0, before, after]), [size, 1], { stride: 1 }).squeeze(1);
  } else {
    const sizes = input.shape;
    div = div.reshape([sizes[0], 1, sizes[1], sizes[2], -1]);
    div = avgPool3d(pad(div, [0, 0, 0, 0, before, after]), [size, 1, 1], { stride: 1 }).squeeze(1).reshape(sizes);
  }
  return presentAs(input.div(div.mul(alpha).add(k).pow(beta)), 'DivBackward0', [input]);
}
