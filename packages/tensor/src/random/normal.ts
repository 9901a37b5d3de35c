/** The vectorized normal float32 sampler (`torch.randn` / `Tensor.normal_` on 16 or more contiguous elements). */

import { fillUniform01 } from './draws.js';
import { f32 } from './float32.js';
import type { MT19937 } from './mt19937.js';
import { normalFillFor, type NormalKernel } from './normal-kernels.js';

/**
 * `normal_fill` (vectorized), for `numel >= 16`: first `numel` 24-bit uniforms, then Box-Muller
 * on each block of 16 (u1 = first 8, u2 = last 8). If `numel % 16 != 0`, 16 fresh uniforms
 * overwrite the last 16 elements and that block is transformed again. The exact float32
 * arithmetic depends on `kernel`.
 */
export function fillNormalVectorized(
  engine: MT19937,
  out: Float32Array,
  numel: number,
  mean: number,
  std: number,
  kernel: NormalKernel,
): void {
  fillUniform01(engine, out, 0, numel);
  const m = f32(mean);
  const s = f32(std);
  const fill = normalFillFor(kernel);
  fill(out, 0, Math.floor(numel / 16), m, s);
  if (numel % 16 !== 0) {
    // recompute the last 16 values from 16 fresh uniforms
    const o = numel - 16;
    fillUniform01(engine, out, o, numel);
    fill(out, o, 1, m, s);
  }
}

