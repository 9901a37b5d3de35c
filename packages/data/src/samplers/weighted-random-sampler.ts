import { defaultGenerator, isOptionsObject, isTensor, tensor, type Generator, type Tensor } from '@descent/tensor';
import { multinomialDouble } from './multinomial-double.js';
import { Sampler } from './sampler.js';

export interface WeightedRandomSamplerOptions {
  /** Draw with replacement. Default true. */
  replacement?: boolean;
  /** Draws the samples; without one, the default generator (PyTorch draws no seed first here). */
  generator?: Generator;
}

/** A nested array's shape, as `torch.as_tensor(weights).shape`. */
function shapeOf(weights: unknown): number[] {
  if (isTensor(weights)) return [...weights.shape];
  const shape: number[] = [];
  for (let level = weights; Array.isArray(level); level = level[0]) shape.push(level.length);
  return shape;
}

const pyTuple = (shape: number[]) => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

/**
 * `torch.utils.data.WeightedRandomSampler(weights, num_samples, replacement=True, generator=None)`: indices into
 * `weights` drawn with those (not necessarily normalized) weights, draw for draw as PyTorch 1.13's
 * `torch.multinomial` on the float64 weights. `replacement` positionally or in the options.
 */
export class WeightedRandomSampler extends Sampler<number> {
  /** The weights as a float64 tensor, as PyTorch keeps them. */
  readonly weights: Tensor;
  readonly numSamples: number;
  readonly replacement: boolean;
  readonly generator: Generator | undefined;

  constructor(weights: readonly number[] | Tensor, numSamples: number, replacement?: boolean | WeightedRandomSamplerOptions, options?: WeightedRandomSamplerOptions);
  constructor(weights: readonly number[] | Tensor, numSamples: number, ...rest: unknown[]) {
    super();
    const byName = isOptionsObject(rest[0]) ? (rest[0] as WeightedRandomSamplerOptions) : ((rest[1] ?? {}) as WeightedRandomSamplerOptions);
    const replacement = isOptionsObject(rest[0]) || rest[0] === undefined ? (byName.replacement ?? true) : rest[0];
    if (typeof numSamples !== 'number' || !Number.isInteger(numSamples) || numSamples <= 0) {
      throw new RangeError(`num_samples should be a positive integer value, but got num_samples=${String(numSamples)}`);
    }
    if (typeof replacement !== 'boolean') {
      throw new RangeError(`replacement should be a boolean value, but got replacement=${String(replacement)}`);
    }
    const shape = shapeOf(weights);
    if (shape.length !== 1) throw new RangeError(`weights should be a 1d sequence but given weights have shape ${pyTuple(shape)}`);
    this.weights = isTensor(weights) ? weights.to('cpu').to('float64') : tensor(weights as number[], { dtype: 'float64' });
    this.numSamples = numSamples;
    this.replacement = replacement;
    this.generator = byName.generator;
  }

  get length(): number {
    return this.numSamples;
  }

  *[Symbol.iterator](): Iterator<number> {
    // Drawn when iteration starts, all at once, as PyTorch's `__iter__` calls multinomial before yielding.
    const weights = this.weights.dataSync() as Float64Array;
    yield* multinomialDouble(weights, this.numSamples, this.replacement, this.generator ?? defaultGenerator);
  }
}
