import type { Tensor } from '../tensor.js';
import { keywordArgs } from '../options.js';
import { defaultGenerator, type Generator } from '../random/generator.js';
import { fromHost, tensor } from './creation.js';
import { argmax } from './reduction.js';
import { topk } from './sorting.js';

export interface MultinomialOptions {
  generator?: Generator;
}

/** PyTorch's checks, where the probabilities can be read synchronously (kernels elsewhere would check them). */
function checkProbabilities(probs: Tensor): void {
  if (!probs.device.supports('readSync')) return;
  const values = Array.from(probs.dataSync() as Float32Array);
  if (values.some((v) => !(v >= 0) || v === Infinity)) throw new RangeError('probability tensor contains either `inf`, `nan` or element < 0');
  const n = probs.shape[probs.ndim - 1];
  for (let r = 0; r < values.length; r += n) {
    if (values.slice(r, r + n).reduce((a, b) => a + b, 0) <= 0) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
  }
}

/**
 * `torch.multinomial(input, num_samples, replacement=False)`: int64 category indices drawn from each row of
 * non-negative weights, with PyTorch 1.13's CPU algorithm and stream. Without replacement: the weights over
 * exponential(1) draws, then argmax or topk. With replacement (one sample too): per sample, a double uniform located
 * by binary search in the row's normalized cumulative float32 sums.
 */
export function multinomial(
  input: Tensor,
  numSamplesOr: number | (MultinomialOptions & { numSamples?: number; replacement?: boolean }),
  replacementGiven = false,
  given: MultinomialOptions = {},
): Tensor {
  // `torch.multinomial(p, num_samples=2, replacement=True)` written with one options object.
  const keywords = keywordArgs('multinomial', numSamplesOr, ['numSamples', 'replacement', 'generator']);
  if (keywords !== null && keywords.numSamples === undefined) throw new TypeError("multinomial() missing 1 required positional argument: 'num_samples'");
  const numSamples = (keywords === null ? numSamplesOr : keywords.numSamples) as number;
  const replacement = (keywords === null ? replacementGiven : (keywords.replacement ?? false)) as boolean;
  const options = (keywords === null ? given : { generator: keywords.generator }) as MultinomialOptions;
  if (input.ndim < 1 || input.ndim > 2) throw new RangeError('prob_dist must be 1 or 2 dim');
  if (input.dtype !== 'float32') throw new TypeError(`multinomial only supports floating-point dtypes for input, got: ${input.dtype}`);
  const n = input.shape[input.ndim - 1];
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RangeError('cannot sample n_sample <= 0 samples');
  if (!replacement && numSamples > n) throw new RangeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  const gen = options.generator ?? defaultGenerator;
  if (!replacement) {
    checkProbabilities(input);
    const q = fromHost(gen.exponential(input.numel()), input.shape, 'float32', { device: input.device });
    const scores = input.div(q);
    return numSamples === 1 ? argmax(scores, -1, { keepdim: true }) : topk(scores, numSamples).indices;
  }
  if (!input.device.supports('readSync')) {
    throw new Error(`multinomial with replacement reads the weights on the host: move them to the CPU first (await probs.toAsync('cpu'))`);
  }
  return sampleWithReplacement(input, numSamples, gen);
}

function sampleWithReplacement(input: Tensor, numSamples: number, gen: Generator): Tensor {
  const values = input.dataSync() as Float32Array;
  const n = input.shape[input.ndim - 1];
  const rows = values.length / n;
  const out: number[] = [];
  const cumulative = new Float32Array(n);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const v = values[r * n + j];
      if (!(v >= 0) || v === Infinity) throw new RangeError('invalid multinomial distribution (encountering probability entry < 0)');
      sum = Math.fround(sum + v);
      cumulative[j] = sum;
    }
    if (!(sum > 0)) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
    for (let j = 0; j < n; j++) cumulative[j] = Math.fround(cumulative[j] / sum);
    cumulative[n - 1] = 1;
    for (let s = 0; s < numSamples; s++) {
      const u = gen.uniformDouble();
      let left = 0;
      let right = n;
      while (right - left > 0) {
        const mid = left + Math.floor((right - left) / 2);
        if (cumulative[mid] < u) left = mid + 1;
        else right = mid;
      }
      out.push(left);
    }
  }
  const shape = input.ndim === 1 ? [numSamples] : [rows, numSamples];
  return tensor(out, { dtype: 'int64', device: input.device }).reshape(shape);
}
