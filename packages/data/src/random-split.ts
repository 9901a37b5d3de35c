import { defaultGenerator, type Generator } from '@descent/tensor';
import { datasetLength, type DatasetLike } from './dataset.js';
import { Subset } from './subset.js';

export interface RandomSplitOptions {
  /** Draws the permutation; defaults to the default generator (seeded by `manualSeed`). */
  generator?: Generator;
}

/** Python's `math.isclose(a, b)` with its default relative tolerance. */
function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * `torch.utils.data.random_split`: non-overlapping random subsets of the given lengths, or of fractions that sum
 * to 1 (each `floor(n * fraction)`, the remainder handed out one by one from the first split on). Draws
 * `randperm(n)` from the generator, exactly as PyTorch 1.13 does, so a seeded split picks the same samples.
 */
export function randomSplit<T>(
  dataset: DatasetLike<T>,
  lengths: readonly number[],
  options: RandomSplitOptions = {},
): Subset<T>[] {
  const n = datasetLength(dataset);
  let sizes = lengths.slice();
  const total = sizes.reduce((a, b) => a + b, 0);
  if (isClose(total, 1) && total <= 1) {
    sizes = lengths.map((fraction, i) => {
      if (fraction < 0 || fraction > 1) throw new RangeError(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * fraction);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
  }
  sizes.forEach((size, i) => {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(`random_split lengths must be non-negative integers or fractions summing to 1, got ${lengths[i]} at index ${i}`);
    }
  });
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) {
    throw new RangeError(`Sum of input lengths does not equal the length of the input dataset! (lengths sum to ${sum}, dataset has ${n})`);
  }
  const permutation = Array.from((options.generator ?? defaultGenerator).randperm(sum));
  let offset = 0;
  return sizes.map((size) => new Subset(dataset, permutation.slice(offset, (offset += size))));
}
