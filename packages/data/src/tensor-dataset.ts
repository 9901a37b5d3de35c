import { Tensor, tensor, type SliceSpec } from '@descent/tensor';
import { Dataset } from './dataset.js';
import { isSliceSpec } from './slice.js';

/**
 * `torch.utils.data.TensorDataset`: samples are rows of tensors that share their first dimension.
 * `get(i)` gives the tuple `[x[i], y[i], ...]`; `get(slice(0, 3))` gives the tuple of row ranges `[x[0:3], y[0:3]]`;
 * `get([4, 1])` (or an int64 index tensor) gives the tuple of the picked rows.
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  readonly tensors: T;

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new RangeError('TensorDataset needs at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset expects tensors, got ${typeof t} at position ${i}`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor at position ${i} is 0-d; samples are rows, so every tensor needs a first dimension`);
    });
    if (!tensors.every((t) => t.shape[0] === tensors[0].shape[0])) {
      throw new RangeError(
        `Size mismatch between tensors: first dimensions are ${tensors.map((t) => t.shape[0]).join(', ')}; every tensor needs the same number of rows`,
      );
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): T;
  get(index: SliceSpec | readonly number[] | Tensor): T;
  get(index: number | SliceSpec | readonly number[] | Tensor): T {
    if (typeof index === 'number') {
      if (!Number.isInteger(index)) throw new TypeError(`dataset index must be an integer, got ${index}`);
      return this.tensors.map((t) => t.select(0, index)) as T;
    }
    if (index instanceof Tensor || Array.isArray(index)) {
      const picks = index instanceof Tensor ? index : tensor(index as number[], { dtype: 'int64' });
      // Each tensor may live on its own device: the indices follow it.
      return this.tensors.map((t) => t.indexSelect(0, picks.device === t.device ? picks : picks.to(t.device))) as T;
    }
    if (isSliceSpec(index)) return this.tensors.map((t) => t.index(index)) as T;
    throw new TypeError(`dataset index must be an integer, a slice, or a list of integers, got ${String(index)}`);
  }
}
