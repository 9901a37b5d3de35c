/**
 * The byte layout of a generator's state, exactly PyTorch's `CPUGeneratorImplState` (what
 * `torch.get_rng_state()` returns) and, on input, its legacy `THGeneratorState`.
 */

import { MT_STATE_N, type MT19937 } from './mt19937.js';

/** Size in bytes of the state returned by {@link Generator.getState} (PyTorch's `CPUGeneratorImplState`). */
export const GENERATOR_STATE_SIZE = 5056;
/** Size of PyTorch's legacy `THGeneratorState`, also accepted by {@link Generator.setState}. */
export const LEGACY_GENERATOR_STATE_SIZE = 5048;

/** The normal samples a generator caches between draws (`next_double_normal_sample_` / `next_float_normal_sample_`). */
export interface NormalCache {
  nextDoubleNormal: number | null;
  nextFloatNormal: number | null;
}

/** Encodes the engine and the cached normal samples; see {@link Generator.getState} for the layout. */
export function encodeState(engine: MT19937, cache: NormalCache): Uint8Array {
  const bytes = new Uint8Array(GENERATOR_STATE_SIZE);
  const dv = new DataView(bytes.buffer);
  const e = engine;
  dv.setBigUint64(0, e.seed, true);
  dv.setInt32(8, e.left, true);
  dv.setInt32(12, e.seeded ? 1 : 0, true);
  dv.setBigUint64(16, BigInt(e.next), true);
  const st = e.state;
  for (let i = 0; i < MT_STATE_N; i++) {
    dv.setUint32(24 + 8 * i, st[i], true);
    // upper half of each u64 stays 0
  }
  if (cache.nextDoubleNormal !== null) {
    dv.setFloat64(5024, cache.nextDoubleNormal, true);
    dv.setInt32(5040, 1, true);
  }
  if (cache.nextFloatNormal !== null) {
    dv.setFloat32(5048, cache.nextFloatNormal, true);
    bytes[5052] = 1;
  }
  return bytes;
}

/**
 * Loads `state` into `engine` and returns the normal samples to cache. A legacy state leaves the
 * float cache as it was (`cache.nextFloatNormal`), with the same conversion PyTorch does.
 */
export function decodeState(engine: MT19937, state: Uint8Array, cache: NormalCache): NormalCache {
  const size = state.byteLength;
  if (size !== GENERATOR_STATE_SIZE && size !== LEGACY_GENERATOR_STATE_SIZE) {
    throw new RangeError(
      `Expected a generator state of ${GENERATOR_STATE_SIZE} bytes (or legacy ${LEGACY_GENERATOR_STATE_SIZE}), got ${size}`,
    );
  }
  const dv = new DataView(state.buffer, state.byteOffset, size);
  let doubleSample: number | null = null;
  let floatSample: number | null = cache.nextFloatNormal;
  const normalValid = dv.getInt32(5040, true) !== 0;
  if (size === LEGACY_GENERATOR_STATE_SIZE) {
    // legacy: normal_x / normal_rho describe the cached sample; the float cache is left as is
    if (normalValid) {
      const x = dv.getFloat64(5016, true);
      const rho = dv.getFloat64(5032, true);
      doubleSample = rho * Math.sin(2.0 * Math.PI * x);
    }
  } else {
    floatSample = state[5052] !== 0 ? dv.getFloat32(5048, true) : null;
    if (normalValid) doubleSample = dv.getFloat64(5024, true);
  }
  const words = new Uint32Array(MT_STATE_N);
  for (let i = 0; i < MT_STATE_N; i++) words[i] = dv.getUint32(24 + 8 * i, true);
  engine.setData({
    seed: dv.getBigUint64(0, true),
    left: dv.getInt32(8, true),
    seeded: dv.getInt32(12, true) !== 0,
    next: Number(dv.getBigUint64(16, true) & 0xffffffffn),
    state: words,
  });
  return { nextDoubleNormal: doubleSample, nextFloatNormal: floatSample };
}
