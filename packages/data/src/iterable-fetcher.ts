/**
 * PyTorch's `_IterableDatasetFetcher`: the samples for each request of the index sampler, read in order from one
 * iterator of the dataset per epoch. A batch ends early at the end of the data; an empty batch, or a short one
 * with `dropLast`, ends the epoch. Returns null once the epoch is over.
 */
export class IterableFetcher<T> {
  private readonly iterator: Iterator<T>;
  private ended = false;

  constructor(
    dataset: Iterable<T>,
    private readonly autoCollation: boolean,
    private readonly dropLast: boolean,
  ) {
    this.iterator = dataset[Symbol.iterator]();
  }

  /** The samples for `request` (a batch's worth of indices, or one index without batching), or null at the end. */
  fetch(request: readonly unknown[] | unknown): T[] | null {
    if (this.ended) return null;
    if (!this.autoCollation) {
      const next = this.iterator.next();
      return next.done ? null : [next.value];
    }
    const wanted = (request as readonly unknown[]).length;
    const data: T[] = [];
    while (data.length < wanted) {
      const next = this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      data.push(next.value);
    }
    return data.length === 0 || (this.dropLast && data.length < wanted) ? null : data;
  }
}
