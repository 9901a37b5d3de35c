import { defaultGenerator, Generator } from '@descent/tensor';
import { drawSeed } from '../seed.js';
import { Sampler } from './sampler.js';

export interface RandomSamplerOptions {
  /** Draw with replacement (`randint`) instead of permutations. Default false. */
  replacement?: boolean;
  /** How many indices one pass yields; defaults to the dataset length. */
  numSamples?: number;
  /** Draws the indices; without one, each pass seeds a fresh generator from the default generator. */
  generator?: Generator;
}

/**
 * `torch.utils.data.RandomSampler`, draw for draw PyTorch 1.13's `__iter__`: without a generator each pass first
 * draws a seed from the default generator (`random_()` on an int64) and seeds a new generator with it; then it
 * yields `randperm(n)` permutations (`numSamples // n` whole ones, then a truncated one), or, with replacement,
 * `randint(0, n)` in blocks of 32.
 */
export class RandomSampler extends Sampler<number> {
  readonly replacement: boolean;
  readonly generator: Generator | undefined;
  private readonly requestedSamples: number | undefined;

  constructor(
    readonly dataSource: { readonly length: number },
    options: RandomSamplerOptions = {},
  ) {
    super();
    this.replacement = options.replacement ?? false;
    this.requestedSamples = options.numSamples;
    this.generator = options.generator;
    if (typeof this.replacement !== 'boolean') {
      throw new TypeError(`replacement should be a boolean value, but got replacement=${String(this.replacement)}`);
    }
    const numSamples = this.numSamples;
    if (!Number.isInteger(numSamples) || numSamples <= 0) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${numSamples}`);
    }
  }

  get numSamples(): number {
    return this.requestedSamples ?? this.dataSource.length;
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    const n = this.dataSource.length;
    const generator = this.generator ?? new Generator(drawSeed(defaultGenerator));
    const numSamples = this.numSamples;
    if (this.replacement) {
      if (n === 0) throw new RangeError('RandomSampler: cannot sample with replacement from an empty dataset');
      for (let i = 0; i < Math.floor(numSamples / 32); i++) yield* generator.randint(32, 0, n);
      yield* generator.randint(numSamples % 32, 0, n);
    } else {
      if (n === 0) throw new RangeError('RandomSampler: cannot draw samples from an empty dataset');
      for (let i = 0; i < Math.floor(numSamples / n); i++) yield* generator.randperm(n);
      yield* generator.randperm(n).subarray(0, numSamples % n);
    }
  }
}
