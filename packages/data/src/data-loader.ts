import { defaultGenerator, type Generator } from '@descent/tensor';
import { defaultCollate, type Collated } from './collate.js';
import { getSample, type DatasetLike } from './dataset.js';
import { IterableFetcher } from './iterable-fetcher.js';
import { IterableDataset, iterableLength } from './iterable-dataset.js';
import { BatchSampler } from './samplers/batch-sampler.js';
import { InfiniteConstantSampler } from './samplers/infinite-constant-sampler.js';
import { RandomSampler } from './samplers/random-sampler.js';
import { samplerLength } from './samplers/sampler.js';
import { SequentialSampler } from './samplers/sequential-sampler.js';
import { drawSeed } from './seed.js';

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1); `null` turns batching off and yields `collateFn(sample)` per sample. */
  batchSize?: number | null;
  /** Reshuffle the samples every epoch (a RandomSampler). Default false. */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize`. Default false. */
  dropLast?: boolean;
  /** Draws the shuffle order and the per-epoch seed; defaults to the default generator. */
  generator?: Generator;
  /** Merges a list of samples into a batch; defaults to {@link defaultCollate}. */
  collateFn?: (samples: Awaited<T>[]) => B | Promise<B>;
  /** Yields the dataset indices to load; mutually exclusive with `shuffle`. */
  sampler?: Iterable<number>;
  /** Yields lists of indices, one list per batch; mutually exclusive with batchSize, shuffle, sampler, dropLast. */
  batchSampler?: Iterable<number[]>;
}

/** What the index sampler yields: a batch of indices or one index (`null`s for an IterableDataset). */
type Request = readonly (number | null)[] | number | null;

/** The samples for one request, or null when an IterableDataset's epoch is over. */
type Fetch<T> = (request: Request) => T[] | null;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * `torch.utils.data.DataLoader`: iterates a dataset in batches, with `for...of` or `for await...of`.
 *
 * Random draws match PyTorch 1.13 exactly: every epoch first draws a base seed from the generator (PyTorch's
 * `_base_seed`, drawn even when not shuffling), then the RandomSampler draws its own seed when the first batch is
 * requested. So under the same `manualSeed`, batches come in PyTorch's order and later `randn` calls continue the
 * same stream.
 *
 * An {@link IterableDataset} is read in order, as PyTorch does: no sampler, batch sampler or shuffle; batches of
 * `batchSize` until the data ends (the last one shorter unless `dropLast`).
 */
export class DataLoader<T, B = Collated<Awaited<T>>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: DatasetLike<T> | IterableDataset<T>;
  readonly batchSize: number | null;
  readonly dropLast: boolean;
  readonly generator: Generator | undefined;
  readonly sampler: Iterable<number> | InfiniteConstantSampler;
  readonly batchSampler: Iterable<number[]> | BatchSampler<null> | null;
  readonly collateFn: (samples: Awaited<T>[]) => B | Promise<B>;

  constructor(dataset: DatasetLike<T> | IterableDataset<T>, options?: DataLoaderOptions<T, B>);
  /** `DataLoader(dataset, batch_size, shuffle=...)`, as in `DataLoader(train_ds, 5, {shuffle: true})`. */
  constructor(dataset: DatasetLike<T> | IterableDataset<T>, batchSize: number | null, options?: Omit<DataLoaderOptions<T, B>, 'batchSize'>);
  constructor(
    dataset: DatasetLike<T> | IterableDataset<T>,
    batchSizeOrOptions?: number | null | DataLoaderOptions<T, B>,
    moreOptions: Omit<DataLoaderOptions<T, B>, 'batchSize'> = {},
  ) {
    const options: DataLoaderOptions<T, B> =
      typeof batchSizeOrOptions === 'number' || batchSizeOrOptions === null
        ? { ...moreOptions, batchSize: batchSizeOrOptions }
        : (batchSizeOrOptions ?? {});
    const shuffle = options.shuffle ?? false;
    let batchSize = options.batchSize === undefined ? 1 : options.batchSize;
    let dropLast = options.dropLast ?? false;
    const iterable = dataset instanceof IterableDataset;
    if (iterable) checkIterableOptions(options);
    else if (typeof (dataset as { length?: unknown }).length !== 'number') {
      throw new TypeError('DataLoader needs a map-style dataset: an object with `length` and `get(index)`, or an array');
    }
    if (options.sampler !== undefined && shuffle) {
      throw new RangeError('sampler option is mutually exclusive with shuffle');
    }
    if (options.batchSampler !== undefined) {
      if (batchSize !== 1 || shuffle || options.sampler !== undefined || dropLast) {
        throw new RangeError('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
      }
      batchSize = null;
      dropLast = false;
    } else if (batchSize === null && dropLast) {
      throw new RangeError('batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
    }
    this.dataset = dataset;
    this.generator = options.generator;
    if (iterable) {
      this.sampler = new InfiniteConstantSampler();
      this.batchSampler = batchSize !== null ? new BatchSampler(this.sampler, batchSize, dropLast) : null;
    } else {
      const sampler = options.sampler ?? (shuffle ? new RandomSampler(dataset, { generator: options.generator }) : new SequentialSampler(dataset));
      this.sampler = sampler;
      this.batchSampler = options.batchSampler ?? (batchSize !== null ? new BatchSampler(sampler, batchSize, dropLast) : null);
    }
    this.batchSize = batchSize;
    this.dropLast = dropLast;
    this.collateFn =
      options.collateFn ??
      (this.batchSampler !== null
        ? (defaultCollate as unknown as (samples: Awaited<T>[]) => B)
        : (sample: unknown) => sample as B); // default_convert: samples pass through unbatched
  }

  /** The number of batches per epoch, as `len(loader)` (for an IterableDataset, from its `length`). */
  get length(): number {
    if (!(this.dataset instanceof IterableDataset)) return samplerLength(this.indexSampler);
    const n = iterableLength(this.dataset);
    if (this.batchSize === null) return n;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  private get indexSampler(): Iterable<Request> {
    return this.batchSampler ?? this.sampler;
  }

  /**
   * Starts an epoch: PyTorch's `_SingleProcessDataLoaderIter.__init__`: the index sampler's iterator, the base seed
   * drawn right away, then the fetcher (an IterableDataset's iterator for this epoch).
   */
  private startEpoch(): [Iterator<Request>, Fetch<T>] {
    const indices = this.indexSampler[Symbol.iterator]();
    drawSeed(this.generator ?? defaultGenerator);
    if (!(this.dataset instanceof IterableDataset)) return [indices, (request) => this.fetch(request as number[] | number)];
    const fetcher = new IterableFetcher(this.dataset, this.batchSampler !== null, this.dropLast);
    return [indices, (request) => fetcher.fetch(request)];
  }

  [Symbol.iterator](): Iterator<B> {
    return this.batches(...this.startEpoch());
  }

  [Symbol.asyncIterator](): AsyncIterator<B> {
    return this.batchesAsync(...this.startEpoch());
  }

  private *batches(indices: Iterator<Request>, fetch: Fetch<T>): Iterator<B> {
    for (let next = indices.next(); !next.done; next = indices.next()) {
      const samples = fetch(next.value);
      if (samples === null) return;
      if (samples.some(isThenable)) {
        throw new TypeError('dataset.get() returned a Promise: iterate this DataLoader with `for await (const batch of loader)`');
      }
      const batch = this.collate(samples as Awaited<T>[]);
      if (isThenable(batch)) {
        throw new TypeError('collateFn returned a Promise: iterate this DataLoader with `for await (const batch of loader)`');
      }
      yield batch;
    }
  }

  private async *batchesAsync(indices: Iterator<Request>, fetch: Fetch<T>): AsyncIterator<B> {
    for (let next = indices.next(); !next.done; next = indices.next()) {
      const fetched = fetch(next.value);
      if (fetched === null) return;
      const samples = await Promise.all(fetched);
      yield await this.collate(samples as Awaited<T>[]);
    }
  }

  private fetch(index: number[] | number): T[] {
    const dataset = this.dataset as DatasetLike<T>;
    return typeof index === 'number' ? [getSample(dataset, index)] : index.map((i) => getSample(dataset, i));
  }

  private collate(samples: Awaited<T>[]): B | Promise<B> {
    return this.batchSampler !== null ? this.collateFn(samples) : (this.collateFn as unknown as (s: unknown) => B)(samples[0]);
  }
}

/** PyTorch's refusals for an IterableDataset: it is read in order, so it takes no shuffle, sampler or batch sampler. */
function checkIterableOptions(options: { shuffle?: boolean; sampler?: object; batchSampler?: object }): void {
  const refuse = (what: string, value: string) => {
    throw new RangeError(`DataLoader with IterableDataset: expected unspecified ${what} option, but got ${what}=${value}`);
  };
  if (options.shuffle !== undefined && options.shuffle !== false) refuse('shuffle', options.shuffle === true ? 'True' : String(options.shuffle));
  if (options.sampler !== undefined) refuse('sampler', describeObject(options.sampler));
  if (options.batchSampler !== undefined) refuse('batch_sampler', describeObject(options.batchSampler));
}

/** Python's default repr of an object, without the address: `<SequentialSampler object>`. */
function describeObject(value: object): string {
  return `<${value.constructor?.name ?? 'object'} object>`;
}
