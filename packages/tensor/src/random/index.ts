import { defaultGenerator } from './generator.js';

export { Generator, defaultGenerator, manualSeed } from './generator.js';

/** The seed of the default generator, as `torch.initial_seed()`. */
export function initialSeed(): bigint {
  return BigInt(defaultGenerator.initialSeed());
}

/** Reseeds the default generator non-deterministically and returns the seed, as `torch.seed()`. */
export function seed(): bigint {
  return BigInt(defaultGenerator.seed());
}

/** A snapshot of the default generator, as `torch.get_rng_state()`. */
export function getRngState(): Uint8Array {
  return defaultGenerator.getState();
}

export function setRngState(state: Uint8Array): void {
  defaultGenerator.setState(state);
}
