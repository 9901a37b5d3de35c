/** The integer samplers: `torch.randint` and `torch.randperm`. */

import { CHUNK, SHARED_SCRATCH, TWO_POW_32, checkNumel } from './draws.js';
import type { MT19937 } from './mt19937.js';

/**
 * `torch.randint(low, high, (numel,))` (int64 in PyTorch; values returned as int32 here).
 * ATen: `random_from_to_kernel` -> `uniform_int_from_to_distribution`: with
 * `range = high - low`, each element is `random() % range + low`, or `random64() % range + low`
 * when `range >= 2^32`. Bounds must fit int32: `-2^31 <= low < high <= 2^31`.
 */
export function sampleRandint(engine: MT19937, numel: number, low: number, high: number): Int32Array {
  checkNumel(numel);
  if (!Number.isInteger(low) || !Number.isInteger(high)) {
    throw new TypeError(`randint bounds must be integers, got low=${low}, high=${high}`);
  }
  if (!(low < high)) {
    throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  }
  if (low < -TWO_POW_32 / 2 || high > TWO_POW_32 / 2) {
    throw new RangeError(`randint bounds must fit int32 (low >= -2^31, high <= 2^31), got [${low}, ${high})`);
  }
  const range = high - low;
  const out = new Int32Array(numel);
  if (range >= TWO_POW_32) {
    // range == 2^32 exactly: random64() % 2^32 is the low (second) word.
    for (let i = 0; i < numel; i++) {
      engine.nextUint32();
      out[i] = engine.nextUint32() + low;
    }
    return out;
  }
  const buf = SHARED_SCRATCH;
  let i = 0;
  while (i < numel) {
    const n = Math.min(CHUNK, numel - i);
    engine.fillUint32(buf, n);
    for (let k = 0; k < n; k++) out[i++] = (buf[k] % range) + low;
  }
  return out;
}

/**
 * `torch.randperm(n)` (int64 in PyTorch; int32 here). ATen 1.13 `randperm_cpu`: start from
 * the identity, then for `i = 0 .. n-2` swap element `i` with element `i + random() % (n - i)`.
 * (PyTorch 2.x keeps this for n < 2^32/20 and switches to an inside-out shuffle with
 * `random64()` above; 1.13 always uses the loop below.)
 */
export function sampleRandperm(engine: MT19937, n: number): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be non-negative, got ${n}`);
  if (n > 0x7fffffff) throw new RangeError(`randperm n=${n} does not fit int32`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const e = engine;
  for (let i = 0; i < n - 1; i++) {
    const z = e.nextUint32() % (n - i);
    const t = out[i];
    out[i] = out[z + i];
    out[z + i] = t;
  }
  return out;
}
