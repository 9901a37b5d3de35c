import { describe, expect, it } from 'vitest';
import * as torch from '@descent/tensor';
import { rnn } from '../src/utils/index.js';
import { loadFixture } from './fixtures.js';

// pack_padded_sequence(enforce_sorted=False) ordered equal lengths stably; PyTorch's torch.sort(lengths,
// descending=True) is not past 16 sequences, so sorted_indices and the packed data differed.
// fixtures/gen_pack_unsorted_ties.py (real PyTorch 1.13).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('pack-unsorted-ties', new URL('./fixtures/', import.meta.url));

interface PackCase {
  lengths: number[];
  sorted_indices: number[];
  unsorted_indices: number[];
  data: number[];
  batch_sizes: number[];
}

describe('pack_padded_sequence(enforce_sorted=False) orders equal lengths as PyTorch', () => {
  it.each((golden.cases as PackCase[]).map((c) => [c.lengths.length, c] as const))('a batch of %i', (batch, c) => {
    const x = torch.arange(4 * batch, { dtype: 'float32' }).reshape(4, batch);
    const packed = rnn.packPaddedSequence(x, c.lengths, { enforceSorted: false });
    expect((packed.sortedIndices!.tolist() as number[]).map(Number)).toEqual(c.sorted_indices);
    expect((packed.unsortedIndices!.tolist() as number[]).map(Number)).toEqual(c.unsorted_indices);
    expect(packed.data.tolist()).toEqual(c.data);
    expect((packed.batchSizes.tolist() as number[]).map(Number)).toEqual(c.batch_sizes);
  });
});
