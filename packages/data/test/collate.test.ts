import { describe, expect, it } from 'vitest';
import { tensor } from '@descent/tensor';
import { defaultCollate } from '../src/index.js';

describe('defaultCollate', () => {
  it('stacks tensors along a new first dimension', () => {
    const out = defaultCollate([tensor([1, 2], { dtype: 'float32' }), tensor([3, 4], { dtype: 'float32' })]);
    expect(out.shape).toEqual([2, 2]);
    expect(out.dtype).toBe('float32');
    expect(out.tolist()).toEqual([[1, 2], [3, 4]]);
  });

  it("turns numbers into a tensor: integers int64 (PyTorch's default), others float32", () => {
    const ints = defaultCollate([0, 1, 2, 3]);
    expect(ints.dtype).toBe('int64');
    expect(ints.tolist()).toEqual([0, 1, 2, 3]);
    const floats = defaultCollate([0.5, 1]);
    expect(floats.dtype).toBe('float32');
    expect(floats.tolist()).toEqual([0.5, 1]);
    expect(defaultCollate([true, false]).tolist()).toEqual([true, false]);
  });

  it('keeps strings as a list', () => {
    expect(defaultCollate(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('collates tuples per position (as PyTorch: [(0, 1), (2, 3)] -> [tensor([0, 2]), tensor([1, 3])])', () => {
    const [a, b] = defaultCollate<[number, number]>([[0, 1], [2, 3]]);
    expect(a.tolist()).toEqual([0, 2]);
    expect(b.tolist()).toEqual([1, 3]);
  });

  it("collates objects per key (as PyTorch: [{'A': 0, 'B': 1}, {'A': 100, 'B': 100}])", () => {
    const out = defaultCollate([{ A: 0, B: 1 }, { A: 100, B: 100 }]);
    expect(out.A.tolist()).toEqual([0, 100]);
    expect(out.B.tolist()).toEqual([1, 100]);
  });

  it('recurses into nested structures', () => {
    const out = defaultCollate([
      { image: tensor([[1, 2]]), meta: { label: 1, name: 'a' } },
      { image: tensor([[3, 4]]), meta: { label: 0, name: 'b' } },
    ]);
    expect(out.image.shape).toEqual([2, 1, 2]);
    expect(out.meta.label.tolist()).toEqual([1, 0]);
    expect(out.meta.name).toEqual(['a', 'b']);
  });

  it('explains what is wrong', () => {
    expect(() => defaultCollate([[1, 2], [3]])).toThrow('each element in list of batch should be of equal size');
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(
      'stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1',
    );
    expect(() => defaultCollate([new Date(), new Date()])).toThrow('default_collate: batch must contain tensors');
    expect(() => defaultCollate([{ a: 1 }, { b: 2 }] as { a?: number; b?: number }[])).toThrow(
      "key 'a' of element 0 is missing from element 1",
    );
    expect(() => defaultCollate<unknown>([1, 'x'])).toThrow('batch mixes types: element 0 is a number, element 1 is string');
  });
});
