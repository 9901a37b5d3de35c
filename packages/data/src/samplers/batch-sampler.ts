import { Sampler, samplerLength } from './sampler.js';

/** `torch.utils.data.BatchSampler`: groups another sampler's indices into lists of `batchSize`. */
export class BatchSampler<I = number> extends Sampler<I[]> {
  constructor(
    readonly sampler: Iterable<I>,
    readonly batchSize: number,
    readonly dropLast: boolean,
  ) {
    super();
    if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`batch_size should be a positive integer value, but got batch_size=${String(batchSize)}`);
    }
    if (typeof dropLast !== 'boolean') {
      throw new TypeError(`drop_last should be a boolean value, but got drop_last=${String(dropLast)}`);
    }
  }

  get length(): number {
    const n = samplerLength(this.sampler);
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<I[]> {
    let batch: I[] = [];
    for (const index of this.sampler) {
      batch.push(index);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
