/** The uniform float32 sampler (`torch.rand` / `Tensor.uniform_`). */

import { CHUNK, SHARED_SCRATCH, TWO_POW_M24, checkNumel, fillUniform01 } from './draws.js';
import { f32, fmaf } from './float32.js';
import type { MT19937 } from './mt19937.js';

/**
 * `torch.rand(numel)` / `Tensor.uniform_(from, to)` on a float32 tensor.
 * ATen: `uniform_kernel` -> `uniform_real_distribution<float>`: one 32-bit draw per element,
 * `x = (draw & (2^24-1)) * 2^-24`, result `fma(x, to - from, from)` in float32 with
 * `from`/`to` cast to float32 first.
 */
export function sampleUniform(engine: MT19937, numel: number, from: number, to: number): Float32Array {
  checkNumel(numel);
  if (!(from <= to)) {
    throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${from} > to=${to}`);
  }
  const out = new Float32Array(numel);
  const lo = f32(from);
  const range = f32(f32(to) - lo);
  if (lo === 0 && range === 1) {
    fillUniform01(engine, out, 0, numel);
    return out;
  }
  const buf = SHARED_SCRATCH;
  let i = 0;
  while (i < numel) {
    const n = Math.min(CHUNK, numel - i);
    engine.fillUint32(buf, n);
    for (let k = 0; k < n; k++) out[i++] = fmaf((buf[k] & 0xffffff) * TWO_POW_M24, range, lo);
  }
  return out;
}
