/**
 * Raw draws shared by the samplers: the engine's uint32 stream turned into PyTorch's uniform
 * distributions, and the scratch buffer bulk draws go through.
 */

import type { MT19937 } from './mt19937.js';

export const TWO_POW_M24 = 1 / 16777216; // 2^-24
export const TWO_POW_32 = 4294967296;
export const TWO_POW_M53 = 1 / 9007199254740992; // 2^-53

// Scratch buffer for bulk raw draws, shared by every Generator: draws are synchronous and a generator never calls
// another, so one buffer suffices, and a DataLoader that seeds a fresh Generator per epoch allocates no 16 KB each.
export const CHUNK = 4096;
export const SHARED_SCRATCH = new Uint32Array(CHUNK);

export function checkNumel(numel: number): void {
  if (!Number.isInteger(numel) || numel < 0) throw new RangeError(`numel must be a non-negative integer, got ${numel}`);
}

/** `uniform_real_distribution<double>(0, 1)`: 53 low bits of `random64()` times 2^-53. */
export function uniformDouble(engine: MT19937): number {
  const hi = engine.nextUint32();
  const lo = engine.nextUint32();
  return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53;
}

/** Fills `out[start..end)` with `uniform_real_distribution<float>(0, 1)` draws (24-bit). */
export function fillUniform01(engine: MT19937, out: Float32Array, start: number, end: number): void {
  const buf = SHARED_SCRATCH;
  let i = start;
  while (i < end) {
    const n = Math.min(CHUNK, end - i);
    engine.fillUint32(buf, n);
    for (let k = 0; k < n; k++) out[i++] = (buf[k] & 0xffffff) * TWO_POW_M24;
  }
}
