// torch.nn.utils.rnn: padding and packing batches of variable-length sequences. The lengths are host values (as
// PyTorch's CPU `lengths`); the data moves with one cat or index_select, so gradients flow back to the sequences.
import { argsort, cat, full, isTensor, stack, tensor, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { PackedSequence } from './packed-sequence.js';

export { PackedSequence, invertPermutation } from './packed-sequence.js';

export interface PadSequenceOptions {
  batchFirst?: boolean;
  paddingValue?: number;
}

export interface PackOptions {
  batchFirst?: boolean;
  enforceSorted?: boolean;
}

export interface PadPackedOptions {
  batchFirst?: boolean;
  paddingValue?: number;
  totalLength?: number | null;
}

/**
 * Stacks sequences `[L_i, *]` into `[T, B, *]` (or `[B, T, *]` with `batchFirst`), `T` the longest, the rest filled
 * with `paddingValue`, as `pad_sequence(sequences, batch_first=False, padding_value=0.0)`.
 */
export function padSequence(
  sequences: readonly Tensor[],
  ...args: ArgsThenOptions<[batchFirst: boolean, paddingValue: number], PadSequenceOptions>
): Tensor {
  const { batchFirst = false, paddingValue = 0 } = bindArgs<PadSequenceOptions>({ fn: 'pad_sequence', required: 1, positional: ['batchFirst', 'paddingValue'] }, args);
  const longest = Math.max(...sequences.map((s) => s.shape[0]));
  const padded = sequences.map((s) => {
    const missing = longest - s.shape[0];
    if (missing === 0) return s;
    return cat([s, full([missing, ...s.shape.slice(1)], paddingValue, { dtype: s.dtype, device: s.device })], 0);
  });
  return stack(padded, batchFirst ? 0 : 1);
}

function hostLengths(lengths: Tensor | readonly number[]): number[] {
  return isTensor(lengths) ? Array.from(lengths.dataSync(), Number) : [...lengths];
}

/**
 * Packs a padded batch `[T, B, *]` (or `[B, T, *]`) whose sequences have `lengths`, as `pack_padded_sequence(input,
 * lengths, batch_first=False, enforce_sorted=True)`; with `enforceSorted: false` the batch is sorted by length first
 * (in PyTorch's CPU sort order) and the order kept in `sortedIndices`.
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: Tensor | readonly number[],
  ...args: ArgsThenOptions<[batchFirst: boolean, enforceSorted: boolean], PackOptions>
): PackedSequence {
  const o = bindArgs<PackOptions>({ fn: 'pack_padded_sequence', required: 2, positional: ['batchFirst', 'enforceSorted'] }, args);
  let lens = hostLengths(lengths);
  let sortedIndices: Tensor | null = null;
  let x = o.batchFirst ? input.transpose(0, 1) : input;
  if (o.enforceSorted === false) {
    // PyTorch's torch.sort(lengths, descending=True): past 16 sequences, equal lengths leave its (unstable) order.
    const order = (argsort(tensor(lens, { dtype: 'int64' }), 0, { descending: true }).tolist() as number[]).map(Number);
    lens = order.map((i) => lens[i]);
    sortedIndices = tensor(order, { dtype: 'int64', device: input.device });
    x = x.indexSelect(1, sortedIndices);
  } else if (lens.some((l, i) => i > 0 && l > lens[i - 1])) {
    throw new Error(
      '`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.',
    );
  }
  if (lens.some((l) => l <= 0)) {
    throw new Error("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
  }
  const [steps, batch] = x.shape;
  if (lens[0] > steps) throw new Error(`Expected sequence length to be larger than or equal to ${lens[0]}, but got ${steps}`);
  const batchSizes: number[] = [];
  const rows: number[] = [];
  for (let t = 0; t < lens[0]; t++) {
    const running = lens.filter((l) => l > t).length;
    batchSizes.push(running);
    for (let b = 0; b < running; b++) rows.push(t * batch + b);
  }
  const flat = x.reshape([steps * batch, ...x.shape.slice(2)]);
  const data = flat.indexSelect(0, tensor(rows, { dtype: 'int64', device: input.device }));
  return new PackedSequence(data, tensor(batchSizes, { dtype: 'int64' }), sortedIndices);
}

/**
 * Unpacks to a padded batch and the lengths (int64), in the batch's original order, as
 * `pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None)`.
 */
export function padPackedSequence(
  sequence: PackedSequence,
  ...args: ArgsThenOptions<[batchFirst: boolean, paddingValue: number, totalLength: number | null], PadPackedOptions>
): [Tensor, Tensor] {
  const o = bindArgs<PadPackedOptions>({ fn: 'pad_packed_sequence', required: 1, positional: ['batchFirst', 'paddingValue', 'totalLength'] }, args);
  const batchSizes = Array.from(sequence.batchSizes.dataSync(), Number);
  let steps = batchSizes.length;
  if (o.totalLength !== undefined && o.totalLength !== null) {
    if (o.totalLength < steps) {
      throw new Error(
        `Expected total_length to be at least the length of the longest sequence in input, but got total_length=${o.totalLength} and max sequence length being ${steps}`,
      );
    }
    steps = o.totalLength;
  }
  const { data } = sequence;
  const batch = batchSizes[0];
  const padRow = data.shape[0];
  // Row of `data` for each (t, b), or the padding row appended after the data.
  const rows: number[] = [];
  let offset = 0;
  for (let t = 0; t < steps; t++) {
    const running = batchSizes[t] ?? 0;
    for (let b = 0; b < batch; b++) rows.push(b < running ? offset + b : padRow);
    offset += running;
  }
  const padding = full([1, ...data.shape.slice(1)], o.paddingValue ?? 0, { dtype: data.dtype, device: data.device });
  const gathered = cat([data, padding], 0).indexSelect(0, tensor(rows, { dtype: 'int64', device: data.device }));
  let padded = gathered.reshape([steps, batch, ...data.shape.slice(1)]);
  const lengths = Array.from({ length: batch }, (_, b) => batchSizes.filter((s) => s > b).length);
  let lengthTensor = tensor(lengths, { dtype: 'int64' });
  if (sequence.unsortedIndices !== null) {
    padded = padded.indexSelect(1, sequence.unsortedIndices);
    lengthTensor = lengthTensor.indexSelect(0, sequence.unsortedIndices.to('cpu'));
  }
  return [o.batchFirst ? padded.transpose(0, 1) : padded, lengthTensor];
}

/** Packs a list of sequences `[L_i, *]`, as `pack_sequence(sequences, enforce_sorted=True)`. */
export function packSequence(
  sequences: readonly Tensor[],
  ...args: ArgsThenOptions<[enforceSorted: boolean], { enforceSorted?: boolean }>
): PackedSequence {
  const { enforceSorted = true } = bindArgs<{ enforceSorted?: boolean }>({ fn: 'pack_sequence', required: 1, positional: ['enforceSorted'] }, args);
  return packPaddedSequence(padSequence(sequences), sequences.map((s) => s.shape[0]), { enforceSorted });
}
