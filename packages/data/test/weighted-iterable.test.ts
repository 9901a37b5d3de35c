// WeightedRandomSampler, IterableDataset (through DataLoader) and ChainDataset against real PyTorch 1.13
// (fixtures/data-more.json from tooling/fixtures/gen_data_more.py), including the default generator's state after.
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, randn, tensor, type Tensor } from '@descent/tensor';
import { ChainDataset, DataLoader, IterableDataset, SequentialSampler, WeightedRandomSampler } from '../src/index.js';
import { loadLocalFixture } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadLocalFixture('data-more');
const generatorFor = (seed: number | null) => (seed === null ? undefined : new Generator(seed));
const randnAfter = () => Array.from(randn(5).dataSync() as Float32Array);

/** The fixtures' Range: tensor(start + i) for i < n, with a length when `sized`. */
class Range extends IterableDataset<Tensor> {
  constructor(
    readonly n: number,
    readonly start = 0,
  ) {
    super();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    for (let i = 0; i < this.n; i++) yield tensor(this.start + i);
  }
}

class SizedRange extends Range {
  get length(): number {
    return this.n;
  }
}

describe('WeightedRandomSampler matches PyTorch 1.13', () => {
  it.each((golden.weighted as { seed: number }[]).map((c) => [c.seed, c] as const))('case with seed %i', (_, c) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fixture case
    const w = c as any;
    manualSeed(w.seed);
    const sampler = new WeightedRandomSampler(w.weights, w.num_samples, w.replacement, { generator: generatorFor(w.generator_seed) });
    expect(sampler.length).toBe(w.length);
    expect(w.samples.map(() => Array.from(sampler))).toEqual(w.samples);
    expect(randnAfter()).toEqual(w.randn_after);
  });

  it.each((golden.weighted_errors as { message: string }[]).map((e) => [e.message, e] as const))('raises %s', (message, e) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fixture case
    const c = e as any;
    const run = () => {
      const sampler = new WeightedRandomSampler(c.weights, c.num_samples, c.replacement);
      if (c.iterate) Array.from(sampler);
    };
    expect(run).toThrow(message);
  });

  it('takes replacement positionally or by name, weights as an array or a tensor, and keeps them as float64', () => {
    const byName = new WeightedRandomSampler([1, 2, 3], 4, { replacement: true });
    expect(byName.replacement).toBe(true);
    const positional = new WeightedRandomSampler(tensor([0.5, 0.5], { dtype: 'float32' }), 2, false);
    expect([positional.replacement, positional.weights.dtype, positional.weights.shape]).toEqual([false, 'float64', [2]]);
    expect(new WeightedRandomSampler([1], 3).replacement).toBe(true);
    expect(() => new WeightedRandomSampler([1, 2], 2, 'yes' as never)).toThrow('replacement should be a boolean value, but got replacement=yes');
  });

  it("is a DataLoader's sampler: the batches hold the samples it draws", () => {
    const weights = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6];
    const make = () => new WeightedRandomSampler(weights, 5, true, { generator: new Generator(3) });
    const loader = new DataLoader([10, 11, 12, 13, 14, 15], { batchSize: 2, sampler: make() });
    expect(loader.length).toBe(3);
    expect(Array.from(loader, (b) => b.tolist()).flat()).toEqual(Array.from(make(), (i) => 10 + i));
  });
});

describe('DataLoader over an IterableDataset matches PyTorch 1.13', () => {
  it.each((golden.iterable as { seed: number }[]).map((c) => [c.seed, c] as const))('case with seed %i', (_, c) => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one fixture case
    const it = c as any;
    manualSeed(it.seed);
    const dataset = it.with_len ? new SizedRange(it.n) : new Range(it.n);
    const loader = new DataLoader(dataset, { batchSize: it.batch_size, dropLast: it.drop_last });
    if (it.length !== null) expect(loader.length).toBe(it.length);
    else expect(() => loader.length).toThrow("object of type 'Range' has no len()");
    const epochs = it.batches.map(() => Array.from(loader, (batch: Tensor) => batch.tolist()));
    expect(epochs).toEqual(it.batches);
    expect(randnAfter()).toEqual(it.randn_after);
  });

  it('iterates with for await too', async () => {
    const batches: unknown[] = [];
    for await (const batch of new DataLoader(new Range(5), 2)) batches.push(batch.tolist());
    expect(batches).toEqual([[0, 1], [2, 3], [4]]);
  });

  it("refuses a shuffle, a sampler or a batch sampler, with PyTorch's messages", () => {
    const ds = new Range(3);
    expect(() => new DataLoader(ds, { shuffle: true })).toThrow('DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=True');
    expect(() => new DataLoader(ds, { sampler: new SequentialSampler([1, 2]) })).toThrow(
      'DataLoader with IterableDataset: expected unspecified sampler option, but got sampler=<SequentialSampler object>',
    );
    expect(() => new DataLoader(ds, { batchSampler: [[0]] })).toThrow('DataLoader with IterableDataset: expected unspecified batch_sampler option');
    expect(Array.from(new DataLoader(ds, { shuffle: false }), (b) => b.tolist())).toEqual([[0], [1], [2]]);
  });
});

describe('ChainDataset matches PyTorch 1.13', () => {
  it('chains the streams lazily and sums their lengths', () => {
    const [c] = golden.chain as { parts: [number, number][]; items: number[]; length: number }[];
    const chain = new ChainDataset(c.parts.map(([n, start]) => new SizedRange(n, start)));
    expect(Array.from(chain, (x) => x.item())).toEqual(c.items);
    expect(chain.length).toBe(c.length);
    expect(new DataLoader(chain, 4).length).toBe(Math.ceil(c.length / 4));
  });

  it('supports only IterableDatasets, and needs their lengths for its own', () => {
    const mixed = new ChainDataset([new Range(1), [1, 2] as never]);
    expect(() => Array.from(mixed)).toThrow('ChainDataset only supports IterableDataset');
    expect(() => new ChainDataset([new SizedRange(2), new Range(1)]).length).toThrow("object of type 'Range' has no len()");
  });
});
