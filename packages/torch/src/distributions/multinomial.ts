import * as T from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { bindArgs } from './args.js';
import { Categorical } from './categorical.js';
import * as constraints from './constraints.js';
import { Distribution, type DistributionOptions } from './distribution.js';

export interface MultinomialOptions extends DistributionOptions {
  totalCount?: number;
  probs?: Tensor | null;
  logits?: Tensor | null;
}

/**
 * `torch.distributions.Multinomial(total_count=1, probs=None, logits=None, validate_args=None)`: the counts of
 * `totalCount` draws from a Categorical over the last dim (d2l's `Multinomial(10, fair_probs).sample()`). Samples
 * are the Categorical's `[totalCount, ...sampleShape]` draws scattered into counts, so the same seed gives PyTorch's.
 * The parameters live on the inner Categorical, as in PyTorch, so the repr names none: `Multinomial()`.
 */
export class Multinomial extends Distribution {
  readonly totalCount: number;
  private readonly categorical: Categorical;

  constructor(totalCount?: number, probs?: Tensor | null, logits?: Tensor | null, validateArgs?: boolean | null, options?: MultinomialOptions);
  constructor(totalCount?: number, probs?: Tensor | null, logits?: Tensor | null, options?: MultinomialOptions);
  constructor(totalCount?: number, probs?: Tensor | null, options?: MultinomialOptions);
  constructor(totalCount?: number, options?: MultinomialOptions);
  constructor(options?: MultinomialOptions);
  constructor(...args: unknown[]) {
    const bound = bindArgs('Multinomial', ['totalCount', 'probs', 'logits', 'validateArgs'], args) as MultinomialOptions;
    const totalCount = bound.totalCount ?? 1;
    if (typeof totalCount !== 'number') throw new Error('inhomogeneous total_count is not supported');
    const categorical = new Categorical(bound.probs ?? null, bound.logits ?? null);
    const paramShape = categorical.paramShape;
    super(categorical.batchShape, paramShape.slice(-1), bound.validateArgs);
    this.totalCount = totalCount;
    this.categorical = categorical;
  }

  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }

  override get support(): constraints.Constraint {
    return constraints.multinomial(this.totalCount);
  }

  get probs(): Tensor {
    return this.categorical.probs;
  }

  get logits(): Tensor {
    return this.categorical.logits;
  }

  get paramShape(): number[] {
    return this.categorical.paramShape;
  }

  override get mean(): Tensor {
    return this.probs.mul(this.totalCount);
  }

  override get variance(): Tensor {
    return T.mul(this.totalCount, this.probs).mul(T.sub(1, this.probs));
  }

  /** `log(n! / prod(x_i!) * prod(p_i^x_i))`, with `0 * log(0)` taken as 0 where a probability is 0. */
  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this.validateSample(value);
    const [logits, counts] = T.broadcastTensors(this.logits, value);
    const logFactorialN = T.lgamma(counts.sum(-1).add(1));
    const logFactorialXs = T.lgamma(counts.add(1)).sum(-1);
    const safeLogits = T.where(counts.eq(0).logicalAnd(logits.eq(-Infinity)), 0, logits);
    const logPowers = safeLogits.mul(counts).sum(-1);
    return logFactorialN.sub(logFactorialXs).add(logPowers);
  }

  override sample(sampleShape: readonly number[] = []): Tensor {
    return T.noGrad(() => {
      let samples = this.categorical.sample([this.totalCount, ...sampleShape]);
      // [totalCount, ...sample, ...batch] to [...sample, ...batch, totalCount], then counted per category
      const order = Array.from({ length: samples.ndim }, (_, i) => i);
      order.push(order.shift() as number);
      samples = samples.permute(...order);
      const counts = T.zeros(this.extendedShape(sampleShape), { dtype: samples.dtype, device: samples.device });
      counts.scatterAdd_(-1, samples, T.onesLike(samples));
      return counts.to(this.probs.dtype);
    });
  }
}
