import { describe, expect, it } from 'vitest';
import { arange, Generator, manualSeed, randn, tensor, type Tensor } from '@descent/tensor';
import { BatchSampler, DataLoader, Dataset, RandomSampler, SequentialSampler, TensorDataset } from '../src/index.js';

const numbers = Array.from({ length: 10 }, (_, i) => i);
const listOf = <B, R>(loader: Iterable<B>, read: (b: B) => R): R[] => Array.from(loader, read);

describe('DataLoader', () => {
  it('batches in order by default, the last batch smaller', () => {
    const loader = new DataLoader(numbers, { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(listOf(loader, (b) => b.tolist())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('batchSize defaults to 1', () => {
    const loader = new DataLoader([5, 6]);
    expect(loader.length).toBe(2);
    expect(listOf(loader, (b) => b.tolist())).toEqual([[5], [6]]);
  });

  it('dropLast drops the incomplete batch', () => {
    const loader = new DataLoader(numbers, { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(listOf(loader, (b) => b.tolist())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
  });

  it('stacks TensorDataset rows into [xb, yb]', () => {
    const x = arange(12).reshape(6, 2);
    const y = arange(6);
    const [first, second] = new DataLoader(new TensorDataset(x, y), 3);
    expect(first[0].tolist()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(first[1].tolist()).toEqual([0, 1, 2]);
    expect(second[0].shape).toEqual([3, 2]);
  });

  it('uses collateFn', () => {
    const loader = new DataLoader(numbers, { batchSize: 3, collateFn: (samples) => samples.reduce((a, b) => a + b, 0) });
    expect(Array.from(loader)).toEqual([3, 12, 21, 9]);
  });

  it('batchSize null yields samples one by one', () => {
    const loader = new DataLoader(['a', 'b'], { batchSize: null });
    expect(loader.length).toBe(2);
    expect(Array.from(loader) as unknown[]).toEqual(['a', 'b']);
  });

  it('takes a sampler and a batchSampler', () => {
    const sampler = [9, 0, 5];
    expect(listOf(new DataLoader(numbers, { sampler, batchSize: 2 }), (b) => b.tolist())).toEqual([[9, 0], [5]]);
    const batchSampler = [[1, 2, 3], [7]];
    const loader = new DataLoader(numbers, { batchSampler });
    expect(loader.length).toBe(2);
    expect(listOf(loader, (b) => b.tolist())).toEqual([[1, 2, 3], [7]]);
  });

  it('shuffles differently each epoch and covers every sample once', () => {
    manualSeed(3);
    const loader = new DataLoader(numbers, { batchSize: 10, shuffle: true });
    const [a] = listOf(loader, (b) => b.tolist() as number[]);
    const [b] = listOf(loader, (b) => b.tolist() as number[]);
    expect(a).not.toEqual(b);
    expect(a.slice().sort((p, q) => p - q)).toEqual(numbers);
    expect(b.slice().sort((p, q) => p - q)).toEqual(numbers);
  });

  it('an explicit generator leaves the default generator alone', () => {
    manualSeed(11);
    const expected = Array.from(randn(3).dataSync() as Float32Array);
    manualSeed(11);
    const loader = new DataLoader(numbers, { batchSize: 5, shuffle: true, generator: new Generator(1) });
    Array.from(loader);
    expect(Array.from(randn(3).dataSync() as Float32Array)).toEqual(expected);
  });

  it('draws the per-epoch base seed even without shuffling, as PyTorch does', () => {
    manualSeed(11);
    const g = new Generator(11);
    g.random64();
    const expected = Array.from(randn(3, { generator: g }).dataSync() as Float32Array);
    manualSeed(11);
    Array.from(new DataLoader(numbers, { batchSize: 5 }));
    expect(Array.from(randn(3).dataSync() as Float32Array)).toEqual(expected);
  });

  it('iterates with for await, awaiting async samples', async () => {
    class Delayed extends Dataset<Promise<number>> {
      get length() {
        return 5;
      }
      async get(i: number) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return i * 2;
      }
    }
    const batches: number[][] = [];
    for await (const batch of new DataLoader(new Delayed(), { batchSize: 2 })) batches.push(batch.tolist() as number[]);
    expect(batches).toEqual([[0, 2], [4, 6], [8]]);
    expect(() => Array.from(new DataLoader(new Delayed(), { batchSize: 2 }))).toThrow('iterate this DataLoader with `for await');

    const sync: Tensor[] = [];
    for await (const xb of new DataLoader(numbers, 5)) sync.push(xb);
    expect(sync.map((t) => t.tolist())).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
  });

  it('rejects conflicting options with PyTorch messages', () => {
    expect(() => new DataLoader(numbers, { sampler: [0], shuffle: true })).toThrow('sampler option is mutually exclusive with shuffle');
    expect(() => new DataLoader(numbers, { batchSampler: [[0]], batchSize: 2 })).toThrow(
      'batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last',
    );
    expect(() => new DataLoader(numbers, { batchSize: null, dropLast: true })).toThrow(
      'batch_size=None option disables auto-batching and is mutually exclusive with drop_last',
    );
    expect(() => new DataLoader(numbers, { batchSize: 0 })).toThrow('batch_size should be a positive integer value, but got batch_size=0');
    expect(() => new DataLoader(numbers, { batchSize: 2.5 })).toThrow('batch_size should be a positive integer value');
    expect(() => new DataLoader([], { shuffle: true })).toThrow('num_samples should be a positive integer value, but got num_samples=0');
  });
});

describe('samplers', () => {
  it('SequentialSampler counts up', () => {
    expect(Array.from(new SequentialSampler({ length: 4 }))).toEqual([0, 1, 2, 3]);
  });

  it('BatchSampler groups indices (PyTorch docstring example)', () => {
    const sampler = new SequentialSampler({ length: 10 });
    expect(Array.from(new BatchSampler(sampler, 3, false))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(Array.from(new BatchSampler(sampler, 3, true))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(new BatchSampler(sampler, 3, false).length).toBe(4);
    expect(new BatchSampler(sampler, 3, true).length).toBe(3);
  });

  it('RandomSampler with replacement may repeat and honours numSamples', () => {
    const sampler = new RandomSampler({ length: 3 }, { replacement: true, numSamples: 40, generator: new Generator(0) });
    const drawn = Array.from(sampler);
    expect(drawn).toHaveLength(40);
    expect(drawn.every((i) => i >= 0 && i < 3)).toBe(true);
    expect(new Set(drawn).size).toBe(3);
  });

  it('a BatchSampler over a sampler without length has no len()', () => {
    const endless = { *[Symbol.iterator]() { yield 1; } };
    expect(() => new BatchSampler(endless, 2, false).length).toThrow('has no len()');
  });
});

describe('typed batches', () => {
  it('collates object samples key by key', () => {
    const samples = [
      { x: tensor([1, 2], { dtype: 'float32' }), label: 0 },
      { x: tensor([3, 4], { dtype: 'float32' }), label: 1 },
    ];
    const [batch] = new DataLoader(samples, 2);
    expect(batch.x.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(batch.label.tolist()).toEqual([0, 1]);
  });
});
