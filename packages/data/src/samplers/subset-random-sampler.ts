import { defaultGenerator, type Generator } from '@descent/tensor';
import { Sampler } from './sampler.js';

/** `torch.utils.data.SubsetRandomSampler`: the given indices in a random order, `randperm` from the generator. */
export class SubsetRandomSampler extends Sampler<number> {
  readonly indices: readonly number[];

  constructor(
    indices: Iterable<number>,
    readonly generator?: Generator,
  ) {
    super();
    this.indices = Array.from(indices);
  }

  get length(): number {
    return this.indices.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const order = (this.generator ?? defaultGenerator).randperm(this.indices.length);
    for (const i of order) yield this.indices[i];
  }
}
