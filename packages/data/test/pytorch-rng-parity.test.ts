// Batch orders, samplers and splits against real PyTorch 1.13 (fixtures/data-extra.json from
// tooling/fixtures/gen_data_extra.py), including the default generator's state afterwards.
import { describe, expect, it } from 'vitest';
import { arange, Generator, manualSeed, randn, type Tensor } from '@descent/tensor';
import { DataLoader, RandomSampler, randomSplit, SubsetRandomSampler, TensorDataset } from '../src/index.js';
import { loadLocalFixture } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
type Case = any;
const cases: Case[] = loadLocalFixture('data-extra').cases;
const ofKind = (kind: string) => cases.filter((c) => c.kind === kind);

const generatorFor = (seed: number | null) => (seed === null ? undefined : new Generator(seed));
const randnAfter = () => Array.from(randn(5).dataSync() as Float32Array);
const rangeDataset = (n: number) => ({ length: n, get: (i: number) => i });

describe('DataLoader batch order matches PyTorch 1.13', () => {
  const loaders = ofKind('loader');
  it('has cases', () => expect(loaders.length).toBeGreaterThan(20));

  for (const c of loaders) {
    const name =
      `seed ${c.seed}, n=${c.n}, batchSize=${c.batch_size}, shuffle=${c.shuffle}, dropLast=${c.drop_last}` +
      (c.generator_seed !== null ? `, generator seed ${c.generator_seed}` : '') +
      (c.break_after !== null ? `, break after ${c.break_after}` : '');
    it(name, () => {
      manualSeed(c.seed);
      const loader = new DataLoader(new TensorDataset(arange(c.n)), {
        batchSize: c.batch_size,
        shuffle: c.shuffle,
        dropLast: c.drop_last,
        generator: generatorFor(c.generator_seed),
      });
      expect(loader.length).toBe(c.length);
      const epochs: number[][][] = [];
      for (let e = 0; e < c.epochs; e++) {
        const batches: number[][] = [];
        for (const [xb] of loader) {
          batches.push(xb.tolist() as number[]);
          if (batches.length === c.break_after) break;
        }
        epochs.push(batches);
      }
      expect(epochs).toEqual(c.batches);
      expect(randnAfter()).toEqual(c.randn_after);
    });
  }
});

describe('RandomSampler matches PyTorch 1.13', () => {
  for (const c of ofKind('random_sampler')) {
    it(`seed ${c.seed}, n=${c.n}, replacement=${c.replacement}, numSamples=${c.num_samples}, generator ${c.generator_seed}`, () => {
      manualSeed(c.seed);
      const sampler = new RandomSampler(rangeDataset(c.n), {
        replacement: c.replacement,
        numSamples: c.num_samples ?? undefined,
        generator: generatorFor(c.generator_seed),
      });
      expect(sampler.length).toBe(c.length);
      const epochs = c.samples.map(() => Array.from(sampler));
      expect(epochs).toEqual(c.samples);
      expect(randnAfter()).toEqual(c.randn_after);
    });
  }
});

describe('SubsetRandomSampler matches PyTorch 1.13', () => {
  for (const c of ofKind('subset_random_sampler')) {
    it(`seed ${c.seed}, generator ${c.generator_seed}`, () => {
      manualSeed(c.seed);
      const sampler = new SubsetRandomSampler(c.indices, generatorFor(c.generator_seed));
      expect(c.samples.map(() => Array.from(sampler))).toEqual(c.samples);
      expect(randnAfter()).toEqual(c.randn_after);
    });
  }
});

describe('randomSplit matches PyTorch 1.13', () => {
  for (const c of ofKind('random_split')) {
    it(`seed ${c.seed}, n=${c.n}, lengths [${c.lengths}], generator ${c.generator_seed}`, () => {
      manualSeed(c.seed);
      const dataset = Array.from({ length: c.n }, (_, i) => i);
      const parts = randomSplit(dataset, c.lengths, { generator: generatorFor(c.generator_seed) });
      expect(parts.map((p) => p.indices)).toEqual(c.splits);
      // each Subset reads through to the dataset
      expect(parts.map((p) => Array.from(p))).toEqual(c.splits);
      expect(randnAfter()).toEqual(c.randn_after);
    });
  }
});

describe('DataLoader reproduces TensorDataset batches for typed tuples', () => {
  it('yields [x, y] rows that stay paired after shuffling', () => {
    manualSeed(0);
    const x = arange(10);
    const y = arange(10).mul(10);
    const loader = new DataLoader(new TensorDataset(x, y), 4, { shuffle: true });
    const seen: number[] = [];
    for (const [xb, yb] of loader) {
      expect(xb.shape[0]).toBe(yb.shape[0]);
      expect(yb.tolist()).toEqual((xb.tolist() as number[]).map((v) => v * 10));
      seen.push(...(xb.tolist() as number[]));
    }
    // PyTorch: torch.manual_seed(0); first epoch of DataLoader(TensorDataset(arange(10)), 4, shuffle=True)
    const reference = ofKind('loader').find((c: Case) => c.seed === 0 && c.n === 10 && c.batch_size === 3 && c.shuffle && !c.drop_last && c.generator_seed === null && c.break_after === null);
    expect(seen).toEqual(reference.batches[0].flat());
  });

  it('types batches from the dataset', () => {
    const ds = new TensorDataset(arange(4), arange(4));
    const loader = new DataLoader(ds, { batchSize: 2 });
    const [first] = loader;
    const [xb, yb]: Tensor[] = first;
    expect(xb.tolist()).toEqual([0, 1]);
    expect(yb.tolist()).toEqual([0, 1]);
  });
});
