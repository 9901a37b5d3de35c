// `torch.multinomial` on a float64 CPU tensor of one row, draw for draw (ATen 1.13's CPU kernels). The tensor
// layer's `multinomial` takes float32 weights; WeightedRandomSampler's weights are doubles, and the sums, ratios
// and comparisons must be made in double precision to pick PyTorch's indices.
import type { Generator } from '@descent/tensor';

const MAX_CATEGORIES = 2 ** 24;

/** `torch.multinomial(weights, numSamples, replacement, generator=gen).tolist()` for float64 `weights`. */
export function multinomialDouble(weights: Float64Array, numSamples: number, replacement: boolean, gen: Generator): number[] {
  const n = weights.length;
  if (!replacement && numSamples > n) throw new RangeError('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  if (n > MAX_CATEGORIES) throw new RangeError('number of categories cannot exceed 2^24');
  // 1.13 races exponentials without replacement only; with it, even one sample is a cumulative search.
  return replacement ? cumulativeSearch(weights, numSamples, gen) : exponentialRace(weights, numSamples, gen);
}

/** argmax / topk of `w / q`, `q ~ Exp(1)`: one 53-bit uniform per category, `q = -log(1 - u)`. */
function exponentialRace(weights: Float64Array, numSamples: number, gen: Generator): number[] {
  let sum = 0;
  for (const w of weights) {
    if (!(w >= 0) || w === Infinity) throw new RangeError('probability tensor contains either `inf`, `nan` or element < 0');
    sum += w;
  }
  if (sum === 0) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
  const scores = Array.from(weights, (w) => w / -Math.log(1 - gen.uniformDouble()));
  const order = scores.map((_, i) => i);
  // A stable sort keeps the lower index first among equal scores, as argmax does (topk leaves ties unspecified).
  order.sort((a, b) => scores[b] - scores[a]);
  return order.slice(0, numSamples);
}

/** Per sample, a 53-bit uniform located by binary search in the normalized cumulative sums. */
function cumulativeSearch(weights: Float64Array, numSamples: number, gen: Generator): number[] {
  const n = weights.length;
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const w = weights[j];
    if (!(w >= 0)) throw new RangeError('invalid multinomial distribution (encountering probability entry < 0)');
    if (w === Infinity) throw new RangeError('invalid multinomial distribution (encountering probability entry = infinity or NaN)');
    sum += w;
    cumulative[j] = sum;
  }
  if (!(sum > 0)) throw new RangeError('invalid multinomial distribution (sum of probabilities <= 0)');
  for (let j = 0; j < n; j++) cumulative[j] /= sum;
  cumulative[n - 1] = 1;
  const out: number[] = [];
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
  return out;
}
