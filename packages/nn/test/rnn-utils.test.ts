import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { parametersToVector, rnn, vectorToParameters } from '../src/utils/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_structure.py writes test/fixtures/nn-structure.json
// (its `rnn` and `vector` sections, and the errors named below).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-structure', new URL('./fixtures/', import.meta.url));
const r = golden.rnn;
const errorOf = (op: string): string => (golden.errors as { op: string; message: string }[]).find((e) => e.op === op)!.message;
const ints = (t: torch.Tensor | null): number[] => Array.from(t!.dataSync(), Number);
const sequences = () => (r.sequences as FixtureTensor[]).map((s) => fromFixture(s));

describe('torch.nn.utils.rnn against PyTorch 1.13', () => {
  it('padSequence pads to the longest, time-major or batch-first', () => {
    expectClose(rnn.padSequence(sequences()), r.pad, 0, 0, 'pad');
    expectClose(rnn.padSequence(sequences(), true, -1), r.pad_batch_first, 0, 0, 'batch first');
    expectClose(rnn.padSequence(sequences(), { batchFirst: true, paddingValue: -1 }), r.pad_batch_first, 0, 0, 'options');
  });

  it('packSequence with enforceSorted false: data, batch sizes, indices and gradients', () => {
    const leaves = sequences().map((s) => s.requiresGrad_(true));
    const packed = rnn.packSequence(leaves, false);
    expect(packed).toBeInstanceOf(rnn.PackedSequence);
    expectClose(packed.data, r.packed.data, 0, 0, 'data');
    expect(ints(packed.batchSizes)).toEqual(r.packed.batch_sizes.data);
    expect(packed.batchSizes.dtype).toBe('int64');
    expect(ints(packed.sortedIndices)).toEqual(r.packed.sorted_indices.data);
    expect(ints(packed.unsortedIndices)).toEqual(r.packed.unsorted_indices.data);
    packed.data.mul(fromFixture(r.packed.upstream)).sum().backward();
    leaves.forEach((x, i) => expectClose(x.grad!, r.packed.grads[i], 0, 0, `grad ${i}`));
  });

  it('packPaddedSequence then padPackedSequence gives back the batch, its lengths and the padding', () => {
    const padded = rnn.padSequence(sequences(), { batchFirst: true });
    const packed = rnn.packPaddedSequence(padded, [3, 5, 2, 5], { batchFirst: true, enforceSorted: false });
    const [back, lengths] = rnn.padPackedSequence(packed, { batchFirst: true, paddingValue: 9, totalLength: 6 });
    expectClose(back, r.repad.padded, 0, 0, 'padded');
    expect(ints(lengths)).toEqual(r.repad.lengths.data);
    expect(lengths.dtype).toBe('int64');
  });

  it('packs an already sorted batch without indices, and prints as PyTorch does', () => {
    const s = sequences();
    const packed = rnn.packSequence([s[1], s[0], s[2]]);
    expectClose(packed.data, r.sorted.data, 0, 0, 'data');
    expect(ints(packed.batchSizes)).toEqual(r.sorted.batch_sizes.data);
    expect(packed.sortedIndices).toBeNull();
    expect(packed.unsortedIndices).toBeNull();
    const [unpacked, lengths] = rnn.padPackedSequence(packed);
    expectClose(unpacked, r.sorted.unpacked, 0, 0, 'unpacked');
    expect(ints(lengths)).toEqual(r.sorted.lengths.data);
    const small = rnn.packSequence([torch.tensor([1, 2, 3], { dtype: 'float32' }), torch.tensor([4, 5], { dtype: 'float32' })]);
    expect(String(small)).toBe(r.sorted.repr);
  });

  it('raises PyTorch\'s errors', () => {
    expect(() => rnn.packPaddedSequence(torch.randn(4, 3, 2), [2, 3, 1])).toThrow(errorOf('pack_unsorted'));
    const packed = rnn.packSequence([torch.randn(3), torch.randn(2)]);
    expect(() => rnn.padPackedSequence(packed, { totalLength: 2 })).toThrow(errorOf('pad_packed_total_length'));
  });
});

describe('torch.nn.utils.parametersToVector / vectorToParameters', () => {
  it('flattens the parameters in order and writes a vector back', () => {
    const v = golden.vector as { params: FixtureTensor[]; vector: FixtureTensor };
    const params = v.params.map((p) => new nn.Parameter(fromFixture(p)));
    const vec = parametersToVector(params);
    expectClose(vec, v.vector, 0, 0, 'vector');
    vectorToParameters(vec.mul(2), params);
    expect(params[0].tolist()).toEqual([[0, 2, 4], [6, 8, 10]]);
    expect(params[1].tolist()).toEqual([20, 22]);
    expect(params[0].gradFn).toBeNull();
    const model = new nn.Linear(3, 2);
    expect(parametersToVector(model.parameters()).shape).toEqual([8]);
  });

  it('rejects a vector that is not a tensor, as PyTorch does', () => {
    expect(() => vectorToParameters([1, 2] as never, [new nn.Parameter(torch.zeros(2))])).toThrow(errorOf('vector_to_parameters_list'));
  });
});
