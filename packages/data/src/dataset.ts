/**
 * `torch.utils.data.Dataset`: a map-style dataset, `length` samples read by index with `get(i)`.
 * Subclass it and implement both, as you would implement `__len__` and `__getitem__` in Python.
 */
export abstract class Dataset<T> implements Iterable<T> {
  /** The number of samples, as `len(dataset)`. */
  abstract get length(): number;

  /** The sample at `index`, as `dataset[index]`. */
  abstract get(index: number): T;

  /** Every sample in order (Python falls back to `__getitem__` for `for x in dataset`). */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/**
 * Anything the loaders and splitters accept as a dataset: a {@link Dataset}, any object with `length` and
 * `get(i)`, or a plain array (Python accepts any indexable sized object, such as a list).
 */
export type DatasetLike<T> = { readonly length: number; get(index: number): T } | readonly T[];

/** `dataset[index]` for any {@link DatasetLike}. */
export function getSample<T>(dataset: DatasetLike<T>, index: number): T {
  if (Array.isArray(dataset)) {
    const i = index < 0 ? index + dataset.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= dataset.length) {
      throw new RangeError(`list index ${index} out of range for a dataset of length ${dataset.length}`);
    }
    return (dataset as readonly T[])[i];
  }
  return (dataset as { get(index: number): T }).get(index);
}

/** `len(dataset)`, with an error that says what is missing. */
export function datasetLength(dataset: { readonly length?: number }): number {
  const n = dataset.length;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`expected a dataset with a non-negative integer length, got length ${String(n)}`);
  }
  return n;
}
