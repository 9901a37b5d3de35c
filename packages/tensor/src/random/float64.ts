/**
 * The float64 samplers: `torch.rand`/`randn` and `uniform_`/`normal_` on double tensors (what a default dtype of
 * float64 makes). ATen 1.13 `uniform_kernel` with `uniform_real_distribution<double>` (one `random64()` per element,
 * 53 bits), and `normal_kernel`'s generic branch: `normal_fill<double>` (numel >= 16, contiguous) or the scalar
 * `normal_distribution<double>` path.
 */

import { checkNumel, uniformDouble } from './draws.js';
import type { MT19937 } from './mt19937.js';

/** `uniform_real<double>(random64(), from, to)`: `x * (to - from) + from`. */
export function sampleUniform64(engine: MT19937, numel: number, from: number, to: number): Float64Array {
  checkNumel(numel);
  if (!(from <= to)) throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  const out = new Float64Array(numel);
  const range = to - from;
  for (let i = 0; i < numel; i++) out[i] = uniformDouble(engine) * range + from;
  return out;
}

/** `normal_fill_16<double>`: Box-Muller on `data[o .. o+16)` in double, u1 = 1 - first 8, u2 = last 8. */
function normalFill16(data: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[o + j];
    const u2 = data[o + j + 8];
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2.0 * Math.PI * u2;
    data[o + j] = radius * Math.cos(theta) * std + mean;
    data[o + j + 8] = radius * Math.sin(theta) * std + mean;
  }
}

/** `normal_fill<double>` for numel >= 16: numel uniforms, 16 at a time through Box-Muller, the tail redrawn. */
export function fillNormal64(engine: MT19937, out: Float64Array, mean: number, std: number): void {
  const numel = out.length;
  for (let i = 0; i < numel; i++) out[i] = uniformDouble(engine);
  for (let i = 0; i + 16 <= numel; i += 16) normalFill16(out, i, mean, std);
  if (numel % 16 !== 0) {
    const o = numel - 16;
    for (let i = o; i < numel; i++) out[i] = uniformDouble(engine);
    normalFill16(out, o, mean, std);
  }
}
