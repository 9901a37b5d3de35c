import { IterableDataset, iterableLength } from './iterable-dataset.js';

const ONLY_ITERABLE = 'ChainDataset only supports IterableDataset';

/** `torch.utils.data.ChainDataset`: the samples of several IterableDatasets, one stream after another, read lazily. */
export class ChainDataset<T> extends IterableDataset<T> {
  readonly datasets: readonly IterableDataset<T>[];

  constructor(datasets: Iterable<IterableDataset<T>>) {
    super();
    this.datasets = Array.from(datasets);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const dataset of this.datasets) {
      if (!(dataset instanceof IterableDataset)) throw new TypeError(ONLY_ITERABLE);
      yield* dataset;
    }
  }

  get length(): number {
    let total = 0;
    for (const dataset of this.datasets) {
      if (!(dataset instanceof IterableDataset)) throw new TypeError(ONLY_ITERABLE);
      total += iterableLength(dataset);
    }
    return total;
  }
}
