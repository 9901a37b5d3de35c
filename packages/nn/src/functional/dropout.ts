import { defaultGenerator, fromArray, type Generator, type Tensor } from '@descent/tensor';

export interface DropoutOptions {
  generator?: Generator;
}

/**
 * Zeroes each element with probability `p` and scales the rest by `1 / (1 - p)` when `training`, drawing the
 * mask exactly as PyTorch's CPU dropout does (so a seed gives PyTorch's mask). Returns `input` itself when not
 * training or when `p` is 0.
 */
export function dropout(input: Tensor, p = 0.5, training = true, inplace = false, options: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0 || input.numel() === 0) return input;
  const generator = options.generator ?? defaultGenerator;
  const mask = fromArray(generator.dropoutMask(input.numel(), p), input.shape, { device: input.device });
  return inplace ? input.mul_(mask) : input.mul(mask);
}
