import { Dataset, datasetLength, getSample, type DatasetLike } from './dataset.js';

/** `torch.utils.data.Subset`: the samples of `dataset` at `indices`, in that order. */
export class Subset<T> extends Dataset<T> {
  readonly indices: readonly number[];

  constructor(
    readonly dataset: DatasetLike<T>,
    indices: Iterable<number>,
  ) {
    super();
    this.indices = Array.from(indices);
    const n = datasetLength(dataset);
    this.indices.forEach((index, i) => {
      if (!Number.isInteger(index) || index < -n || index >= n) {
        throw new RangeError(`Subset: index ${index} at position ${i} is out of range for a dataset of length ${n}`);
      }
    });
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    const n = this.indices.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new RangeError(`Subset index ${index} is out of range for a subset of length ${n}`);
    }
    return getSample(this.dataset, this.indices[i]);
  }
}
