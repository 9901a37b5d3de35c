/** The Bernoulli samplers: `Tensor.bernoulli_(p)` and the dropout multiplier. */

import { CHUNK, SHARED_SCRATCH, TWO_POW_32, TWO_POW_M53, checkNumel } from './draws.js';
import { f32 } from './float32.js';
import type { MT19937 } from './mt19937.js';

/**
 * `Tensor.bernoulli_(p)` with a scalar `p` on a float32 tensor: 0/1 values.
 * ATen (non-MKL build) `bernoulli_kernel(self, double p, gen)` -> `bernoulli_distribution<double>`:
 * one `random64()` per element, `uniform = (bits & (2^53-1)) * 2^-53`, value `uniform < p`.
 */
export function sampleBernoulli(engine: MT19937, numel: number, p: number): Float32Array {
  checkNumel(numel);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli_ expects p to be in [0, 1], but got p=${p}`);
  const out = new Float32Array(numel);
  fillBernoulli(engine, out, p, 1);
  return out;
}

/**
 * The multiplier `F.dropout(x, p, training=True)` applies to a float32 CPU tensor, element by
 * element (1.13 `at::native::dropout` -> `_dropout_impl`: the fused kernel is CUDA/XPU/lazy only):
 * `noise = empty_like(x).bernoulli_(1 - p); noise.div_(1 - p); return x * noise`.
 * So each value is `0` or `float32(1) / float32(1 - p)` (the divisor is cast to float32).
 * `p == 0` and `p == 1` consume no random numbers (all ones / all zeros), as in PyTorch.
 */
export function sampleDropoutMask(engine: MT19937, numel: number, p: number): Float32Array {
  checkNumel(numel);
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
  if (p === 0 || numel === 0) return new Float32Array(numel).fill(1);
  if (p === 1) return new Float32Array(numel);
  const keep = 1 - p;
  const scale = f32(1 / f32(keep));
  const out = new Float32Array(numel);
  fillBernoulli(engine, out, keep, scale);
  return out;
}

/** `out[i] = uniform_real_distribution<double>(0, 1) < p ? one : 0`, one `random64()` each. */
function fillBernoulli(engine: MT19937, out: Float32Array, p: number, one: number): void {
  const buf = SHARED_SCRATCH;
  const n = out.length;
  let i = 0;
  while (i < n) {
    const m = Math.min(CHUNK >>> 1, n - i);
    engine.fillUint32(buf, 2 * m);
    for (let k = 0; k < 2 * m; k += 2) {
      const u = ((buf[k] & 0x1fffff) * TWO_POW_32 + buf[k + 1]) * TWO_POW_M53;
      out[i++] = u < p ? one : 0;
    }
  }
}
