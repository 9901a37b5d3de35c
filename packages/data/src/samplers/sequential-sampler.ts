import { Sampler } from './sampler.js';

/** `torch.utils.data.SequentialSampler`: 0, 1, ..., n-1. */
export class SequentialSampler extends Sampler<number> {
  constructor(readonly dataSource: { readonly length: number }) {
    super();
  }

  get length(): number {
    return this.dataSource.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    for (let i = 0; i < n; i++) yield i;
  }
}
