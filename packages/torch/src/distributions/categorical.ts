import * as T from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { bindArgs } from './args.js';
import * as constraints from './constraints.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { finfo } from './finfo.js';
import { logitsToProbs, probsToLogits } from './utils.js';

export interface CategoricalOptions extends DistributionOptions {
  probs?: Tensor | null;
  logits?: Tensor | null;
}

/**
 * `torch.distributions.Categorical(probs=None, logits=None, validate_args=None)`: one of `K` categories, with
 * (unnormalized) `probs` or `logits` over the last dim. Samples come from `torch.multinomial`, so the same seed
 * draws PyTorch's categories.
 */
export class Categorical extends Distribution {
  protected _numEvents: number;

  constructor(probs?: Tensor | null, logits?: Tensor | null, validateArgs?: boolean | null, options?: CategoricalOptions);
  constructor(probs?: Tensor | null, logits?: Tensor | null, options?: CategoricalOptions);
  constructor(probs?: Tensor | null, options?: CategoricalOptions);
  constructor(options?: CategoricalOptions);
  constructor(...args: unknown[]) {
    const { probs, logits, validateArgs } = bindArgs('Categorical', ['probs', 'logits', 'validateArgs'], args) as CategoricalOptions;
    if ((probs == null) === (logits == null)) throw new RangeError('Either `probs` or `logits` must be specified, but not both.');
    let params: Record<string, Tensor>;
    if (probs != null) {
      if (probs.ndim < 1) throw new RangeError('`probs` parameter must be at least one-dimensional.');
      params = { probs: probs.div(probs.sum(-1, { keepdim: true })) };
    } else {
      const given = logits as Tensor;
      if (given.ndim < 1) throw new RangeError('`logits` parameter must be at least one-dimensional.');
      params = { logits: given.sub(given.logsumexp(-1, { keepdim: true })) }; // normalize
    }
    const param = params.probs ?? params.logits;
    super(param.ndim > 1 ? param.shape.slice(0, -1) : [], [], validateArgs, params);
    this._numEvents = param.shape[param.ndim - 1];
  }

  override get argConstraints(): Record<string, constraints.Constraint> {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }

  override get support(): constraints.Constraint {
    return constraints.integerInterval(0, this._numEvents - 1);
  }

  override get hasEnumerateSupport(): boolean {
    return true;
  }

  /** Normalized log-probabilities (computed from `probs` on first use, with gradient, as PyTorch's lazy property). */
  get logits(): Tensor {
    return (this._dict.logits ??= T.enableGrad(() => probsToLogits(this._dict.probs)));
  }

  /** Normalized probabilities (computed from `logits` on first use). */
  get probs(): Tensor {
    return (this._dict.probs ??= T.enableGrad(() => logitsToProbs(this._dict.logits)));
  }

  get paramShape(): number[] {
    return (this._dict.probs ?? this._dict.logits).shape.slice();
  }

  override get mean(): Tensor {
    return T.full(this.extendedShape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }

  override get mode(): Tensor {
    return this.probs.argmax(-1);
  }

  override get variance(): Tensor {
    return T.full(this.extendedShape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }

  override sample(sampleShape: readonly number[] = []): Tensor {
    const probs2d = this.probs.reshape(-1, this._numEvents);
    const n = sampleShape.reduce((a, b) => a * b, 1);
    const samples2d = T.multinomial(probs2d, n, true).T;
    return samples2d.reshape(this.extendedShape(sampleShape));
  }

  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this.validateSample(value);
    let index = value.long().unsqueeze(-1);
    const [broadcast, logPmf] = T.broadcastTensors(index, this.logits);
    index = broadcast.slice(-1, 0, 1); // value[..., :1]
    return logPmf.gather(-1, index).squeeze(-1);
  }

  override entropy(): Tensor {
    const minReal = finfo(this.logits.dtype).min;
    const logits = T.clamp(this.logits, minReal);
    const pLogP = logits.mul(this.probs);
    return pLogP.sum(-1).neg();
  }

  override enumerateSupport(expand = true): Tensor {
    let values = T.arange(this._numEvents, { dtype: 'int64', device: (this._dict.probs ?? this._dict.logits).device });
    values = values.view(-1, ...this._batchShape.map(() => 1));
    return expand ? values.expand(-1, ...this._batchShape) : values;
  }

  override expand(batchShape: readonly number[]): this {
    const paramShape = [...batchShape, this._numEvents];
    const params: Record<string, Tensor> = {};
    for (const k of ['probs', 'logits']) if (k in this._dict) params[k] = this._dict[k].expand(paramShape);
    const next = this.blank(batchShape, params);
    next._numEvents = this._numEvents;
    return next;
  }
}
