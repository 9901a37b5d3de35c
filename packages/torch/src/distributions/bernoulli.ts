import * as T from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { functional as F } from '@descent/nn';
import { bindArgs } from './args.js';
import * as constraints from './constraints.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { broadcastAll, logitsToProbs, probsToLogits } from './utils.js';

export interface BernoulliOptions extends DistributionOptions {
  probs?: Tensor | number | null;
  logits?: Tensor | number | null;
}

/**
 * `torch.distributions.Bernoulli(probs=None, logits=None, validate_args=None)`: 1 with probability `probs`, else 0.
 * Samples come from `torch.bernoulli`, PyTorch's stream for the same seed.
 */
export class Bernoulli extends Distribution {
  constructor(probs?: Tensor | number | null, logits?: Tensor | number | null, validateArgs?: boolean | null, options?: BernoulliOptions);
  constructor(probs?: Tensor | number | null, logits?: Tensor | number | null, options?: BernoulliOptions);
  constructor(probs?: Tensor | number | null, options?: BernoulliOptions);
  constructor(options?: BernoulliOptions);
  constructor(...args: unknown[]) {
    const { probs, logits, validateArgs } = bindArgs('Bernoulli', ['probs', 'logits', 'validateArgs'], args) as BernoulliOptions;
    if ((probs == null) === (logits == null)) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
    const given = (probs ?? logits) as Tensor | number;
    const [param] = broadcastAll(given);
    super(typeof given === 'number' ? [] : param.shape, [], validateArgs, probs != null ? { probs: param } : { logits: param });
  }

  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }

  override get support(): constraints.Constraint {
    return constraints.boolean;
  }

  override get hasEnumerateSupport(): boolean {
    return true;
  }

  get logits(): Tensor {
    return (this._dict.logits ??= T.enableGrad(() => probsToLogits(this._dict.probs, true)));
  }

  get probs(): Tensor {
    return (this._dict.probs ??= T.enableGrad(() => logitsToProbs(this._dict.logits, true)));
  }

  get paramShape(): number[] {
    return (this._dict.probs ?? this._dict.logits).shape.slice();
  }

  override get mean(): Tensor {
    return this.probs;
  }

  /** 1 where `probs > 0.5`, 0 below, NaN at exactly 0.5. */
  override get mode(): Tensor {
    const mode = this.probs.ge(0.5).to(this.probs.dtype);
    return mode.maskedFill(this.probs.eq(0.5), NaN);
  }

  override get variance(): Tensor {
    return this.probs.mul(this.probs.neg().add(1)); // probs * (1 - probs)
  }

  override sample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return T.noGrad(() => T.bernoulli(this.probs.expand(shape)));
  }

  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this.validateSample(value);
    const [logits, v] = broadcastAll(this.logits, value);
    return F.binaryCrossEntropyWithLogits(logits, v, { reduction: 'none' }).neg();
  }

  override entropy(): Tensor {
    return F.binaryCrossEntropyWithLogits(this.logits, this.probs, { reduction: 'none' });
  }

  override enumerateSupport(expand = true): Tensor {
    const param = this._dict.probs ?? this._dict.logits;
    let values = T.arange(2, { dtype: param.dtype, device: param.device });
    values = values.view(-1, ...this._batchShape.map(() => 1));
    return expand ? values.expand(-1, ...this._batchShape) : values;
  }

  override expand(batchShape: readonly number[]): this {
    const params: Record<string, Tensor> = {};
    for (const k of ['probs', 'logits']) if (k in this._dict) params[k] = this._dict[k].expand([...batchShape]);
    return this.blank(batchShape, params);
  }
}
