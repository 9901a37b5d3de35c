/**
 * `torch.utils.data.Sampler`: an iterable over dataset indices (or, for a batch sampler, lists of indices).
 * Iteration must be lazy (a generator method), so random draws happen when iteration starts, as in PyTorch.
 */
export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  /** How many items one pass yields, as `len(sampler)`. */
  abstract get length(): number;
}

/** `len(sampler)` for any iterable, with PyTorch's error when it has none. */
export function samplerLength(sampler: Iterable<unknown>): number {
  const n = (sampler as { length?: unknown }).length;
  if (typeof n !== 'number') {
    throw new TypeError(`object of type ${sampler.constructor?.name ?? typeof sampler} has no len(): give the sampler a length`);
  }
  return n;
}
