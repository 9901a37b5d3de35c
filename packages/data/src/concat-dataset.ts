import { Dataset, datasetLength, getSample, type DatasetLike } from './dataset.js';

/** `torch.utils.data.ConcatDataset`: the samples of several datasets, one after another. */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: readonly DatasetLike<T>[];
  /** Running totals of the dataset lengths (PyTorch's `cumulative_sizes`). */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<DatasetLike<T>>) {
    super();
    this.datasets = Array.from(datasets);
    if (this.datasets.length === 0) throw new RangeError('datasets should not be an empty iterable');
    let total = 0;
    this.cumulativeSizes = this.datasets.map((d) => (total += datasetLength(d)));
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  get(index: number): T {
    const n = this.length;
    if (index < 0) {
      if (-index > n) throw new RangeError('absolute value of index should not exceed dataset length');
      index += n;
    }
    if (!Number.isInteger(index) || index >= n) {
      throw new RangeError(`index ${index} is out of range for a dataset of length ${n}`);
    }
    // first dataset whose running total exceeds index (bisect_right)
    let lo = 0;
    let hi = this.cumulativeSizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid] <= index) lo = mid + 1;
      else hi = mid;
    }
    const start = lo === 0 ? 0 : this.cumulativeSizes[lo - 1];
    return getSample(this.datasets[lo], index - start);
  }
}
