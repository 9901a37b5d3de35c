import type { Generator } from '@descent/tensor';

const INT64_MAX_PLUS_ONE = 1n << 63n;

/**
 * `torch.empty((), dtype=torch.int64).random_(generator=g).item()`: ATen's `random_()` on int64 is one
 * `random64()` draw (two 32-bit draws) modulo 2^63. PyTorch's DataLoader and RandomSampler draw their
 * seeds this way, so drawing them identically keeps the default generator in step with PyTorch.
 */
export function drawSeed(generator: Generator): bigint {
  return generator.random64() % INT64_MAX_PLUS_ONE;
}
