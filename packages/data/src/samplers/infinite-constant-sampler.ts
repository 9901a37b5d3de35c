import { Sampler } from './sampler.js';

/**
 * PyTorch's `_InfiniteConstantSampler`, the sampler a DataLoader gives an IterableDataset: `null` forever, so that
 * batching counts samples while the dataset's own iterator says where the data ends.
 */
export class InfiniteConstantSampler extends Sampler<null> {
  get length(): number {
    throw new TypeError("object of type '_InfiniteConstantSampler' has no len()");
  }

  *[Symbol.iterator](): Iterator<null> {
    for (;;) yield null;
  }
}
