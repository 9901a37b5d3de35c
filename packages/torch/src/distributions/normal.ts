import * as T from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { bindArgs } from './args.js';
import * as constraints from './constraints.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { broadcastAll } from './utils.js';

export interface NormalOptions extends DistributionOptions {
  loc?: Tensor | number;
  scale?: Tensor | number;
}

/**
 * `torch.distributions.Normal(loc, scale, validate_args=None)`. `sample` draws `torch.normal(loc, scale)` and
 * `rsample` `loc + eps * scale` with `eps` from `normal_()`: PyTorch's numbers for the same seed.
 */
export class Normal extends Distribution {
  constructor(loc: Tensor | number, scale: Tensor | number, validateArgs?: boolean | null, options?: NormalOptions);
  constructor(loc: Tensor | number, scale: Tensor | number, options?: NormalOptions);
  constructor(loc: Tensor | number, options: NormalOptions);
  constructor(options: NormalOptions);
  constructor(...args: unknown[]) {
    const { loc, scale, validateArgs } = bindArgs('Normal', ['loc', 'scale', 'validateArgs'], args) as NormalOptions;
    if (loc === undefined || scale === undefined) {
      throw new TypeError(`__init__() missing 1 required positional argument: '${loc === undefined ? 'loc' : 'scale'}'`);
    }
    const [l, s] = broadcastAll(loc, scale);
    super(typeof loc === 'number' && typeof scale === 'number' ? [] : l.shape, [], validateArgs, { loc: l, scale: s });
  }

  override get argConstraints(): Record<string, constraints.Constraint> {
    return { loc: constraints.real, scale: constraints.positive };
  }

  override get support(): constraints.Constraint {
    return constraints.real;
  }

  override get hasRsample(): boolean {
    return true;
  }

  get loc(): Tensor {
    return this._dict.loc;
  }

  get scale(): Tensor {
    return this._dict.scale;
  }

  override get mean(): Tensor {
    return this.loc;
  }

  override get mode(): Tensor {
    return this.loc;
  }

  override get stddev(): Tensor {
    return this.scale;
  }

  override get variance(): Tensor {
    return this.stddev.pow(2);
  }

  override sample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    return T.noGrad(() => T.normal(this.loc.expand(shape), this.scale.expand(shape)));
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const eps = T.empty(shape, { dtype: this.loc.dtype, device: this.loc.device }).normal_();
    return this.loc.add(eps.mul(this.scale));
  }

  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this.validateSample(value);
    const variance = this.scale.pow(2);
    const logScale = this.scale.log();
    // -((value - loc) ** 2) / (2 * var) - log_scale - math.log(math.sqrt(2 * math.pi))
    return T.sub(value, this.loc).pow(2).neg().div(variance.mul(2)).sub(logScale).sub(Math.log(Math.sqrt(2 * Math.PI)));
  }

  override cdf(value: Tensor): Tensor {
    if (this._validateArgs) this.validateSample(value);
    return T.erf(T.sub(value, this.loc).mul(this.scale.reciprocal()).div(Math.sqrt(2))).add(1).mul(0.5);
  }

  override entropy(): Tensor {
    return T.log(this.scale).add(0.5 + 0.5 * Math.log(2 * Math.PI));
  }

  override expand(batchShape: readonly number[]): this {
    return this.blank(batchShape, { loc: this.loc.expand([...batchShape]), scale: this.scale.expand([...batchShape]) });
  }
}
