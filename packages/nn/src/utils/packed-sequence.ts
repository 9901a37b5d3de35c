import { isTensor, tensor, type Tensor } from '@descent/tensor';

/** The permutation that undoes `permutation` (int64), as PyTorch's `invert_permutation`. */
export function invertPermutation(permutation: Tensor | null): Tensor | null {
  if (permutation === null) return null;
  const order = Array.from(permutation.dataSync(), Number);
  const inverse = new Array<number>(order.length);
  order.forEach((to, from) => (inverse[to] = from));
  return tensor(inverse, { dtype: 'int64', device: permutation.device });
}

/**
 * A batch of variable-length sequences packed time step by time step, as `torch.nn.utils.rnn.PackedSequence`:
 * `data` holds step 0 of every sequence, then step 1 of those still running, ...; `batchSizes[t]` (int64, on the
 * CPU) counts the sequences at step t. `sortedIndices` orders the batch by decreasing length (null when it already
 * was), `unsortedIndices` puts it back.
 */
export class PackedSequence {
  readonly data: Tensor;
  readonly batchSizes: Tensor;
  readonly sortedIndices: Tensor | null;
  readonly unsortedIndices: Tensor | null;

  constructor(data: Tensor, batchSizes: Tensor, sortedIndices: Tensor | null = null, unsortedIndices: Tensor | null = null) {
    if (!isTensor(batchSizes)) throw new TypeError('PackedSequence: batchSizes must be a tensor of int64');
    this.data = data;
    this.batchSizes = batchSizes;
    this.sortedIndices = sortedIndices;
    this.unsortedIndices = unsortedIndices ?? invertPermutation(sortedIndices);
  }

  /** The data moved to a device (the batch sizes stay on the CPU, as PyTorch's). */
  to(device: Parameters<Tensor['to']>[0]): PackedSequence {
    const move = (t: Tensor | null) => (t === null ? null : t.to(device));
    return new PackedSequence(this.data.to(device), this.batchSizes, move(this.sortedIndices), move(this.unsortedIndices));
  }

  /** PyTorch's repr: `PackedSequence(data=tensor([...]), batch_sizes=tensor([...]), sorted_indices=None, ...)`. */
  toString(): string {
    const show = (t: Tensor | null) => (t === null ? 'None' : t.toString());
    return (
      `PackedSequence(data=${show(this.data)}, batch_sizes=${show(this.batchSizes)}, ` +
      `sorted_indices=${show(this.sortedIndices)}, unsorted_indices=${show(this.unsortedIndices)})`
    );
  }
}
