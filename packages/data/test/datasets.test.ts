import { describe, expect, it } from 'vitest';
import { arange, tensor, zeros } from '@descent/tensor';
import { ConcatDataset, Dataset, Subset, TensorDataset, randomSplit, slice } from '../src/index.js';

describe('TensorDataset', () => {
  const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8]], { dtype: 'float32' });
  const y = tensor([10, 20, 30, 40]);
  const ds = new TensorDataset(x, y);

  it('has the number of rows as its length', () => {
    expect(ds.length).toBe(4);
  });

  it('get(i) gives the tuple of rows', () => {
    const [xi, yi] = ds.get(2);
    expect(xi.tolist()).toEqual([5, 6]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(30);
    expect(ds.get(-1).map((t) => t.tolist())).toEqual([[7, 8], 40]);
  });

  it('get(slice) gives the tuple of row ranges, with Python slice semantics', () => {
    expect(ds.get(slice(1, 3)).map((t) => t.tolist())).toEqual([[[3, 4], [5, 6]], [20, 30]]);
    expect(ds.get(slice(null, null, 2)).map((t) => t.tolist())).toEqual([[[1, 2], [5, 6]], [10, 30]]);
    expect(ds.get(slice(-2)).map((t) => t.tolist())).toEqual([[[5, 6], [7, 8]], [30, 40]]);
    expect(ds.get({ start: 0, stop: 1 }).map((t) => t.tolist())).toEqual([[[1, 2]], [10]]);
  });

  it('get(list) picks rows', () => {
    expect(ds.get([3, 0]).map((t) => t.tolist())).toEqual([[[7, 8], [1, 2]], [40, 10]]);
  });

  it('rejects tensors with different numbers of rows', () => {
    expect(() => new TensorDataset(zeros(3, 2), zeros(4))).toThrow('Size mismatch between tensors');
  });

  it('rejects an out-of-range index', () => {
    expect(() => ds.get(4)).toThrow('index 4 is out of bounds for dimension 0 with size 4');
  });

  it('iterates its samples', () => {
    expect(Array.from(ds, ([, yi]) => yi.item())).toEqual([10, 20, 30, 40]);
  });
});

describe('custom Dataset', () => {
  class Squares extends Dataset<{ x: number; y: number }> {
    get length() {
      return 5;
    }
    get(i: number) {
      return { x: i, y: i * i };
    }
  }

  it('Subset reads the picked samples in order', () => {
    const subset = new Subset(new Squares(), [4, 1, 3]);
    expect(subset.length).toBe(3);
    expect(subset.get(0)).toEqual({ x: 4, y: 16 });
    expect(subset.get(-1)).toEqual({ x: 3, y: 9 });
    expect(() => subset.get(3)).toThrow('out of range');
    expect(() => new Subset(new Squares(), [5])).toThrow('index 5 at position 0 is out of range');
  });

  it('ConcatDataset chains datasets', () => {
    const both = new ConcatDataset<number>([[1, 2, 3], [], [4, 5]]);
    expect(both.length).toBe(5);
    expect(both.cumulativeSizes).toEqual([3, 3, 5]);
    expect(Array.from(both)).toEqual([1, 2, 3, 4, 5]);
    expect(both.get(-2)).toBe(4);
    expect(() => both.get(5)).toThrow('out of range');
  });
});

describe('randomSplit', () => {
  it('turns fractions into lengths, handing out the remainder round-robin', () => {
    const parts = randomSplit(arange(10).tolist() as number[], [0.34, 0.33, 0.33]);
    // floor(3.4)=3, floor(3.3)=3, floor(3.3)=3, remainder 1 goes to the first split
    expect(parts.map((p) => p.length)).toEqual([4, 3, 3]);
    expect(parts.flatMap((p) => p.indices).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("rejects lengths that do not sum to the dataset's length", () => {
    expect(() => randomSplit([1, 2, 3], [1, 1])).toThrow('Sum of input lengths does not equal the length of the input dataset!');
    expect(() => randomSplit([1, 2, 3], [0.5, 1.5, -1])).toThrow('Fraction at index 1 is not between 0 and 1');
  });
});
