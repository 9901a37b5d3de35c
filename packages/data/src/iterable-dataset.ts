/**
 * `torch.utils.data.IterableDataset`: a stream of samples read in order, for data that comes from a stream rather
 * than by index. Subclass it and implement `[Symbol.iterator]` (a generator method), as you would implement
 * `__iter__` in Python; a `length` is optional (PyTorch's `__len__`), used by `len(loader)` and ChainDataset.
 * A DataLoader reads it in order, batching as it goes; it takes no sampler or shuffle.
 */
export abstract class IterableDataset<T> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
}

/** `len(dataset)` for an IterableDataset, with Python's TypeError when it has none. */
export function iterableLength(dataset: IterableDataset<unknown>): number {
  // A subclass may define `length` (a getter or a field); the base leaves it out, as PyTorch leaves out `__len__`.
  const n = (dataset as { length?: unknown }).length;
  if (typeof n !== 'number') throw new TypeError(`object of type '${dataset.constructor.name}' has no len()`);
  return n;
}
