import * as T from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { bindArgs } from './args.js';
import * as constraints from './constraints.js';
import { Distribution, type DistributionOptions } from './distribution.js';
import { broadcastAll } from './utils.js';

export interface UniformOptions extends DistributionOptions {
  low?: Tensor | number;
  high?: Tensor | number;
}

/** `torch.distributions.Uniform(low, high, validate_args=None)`: uniform on `[low, high)`; samples from `torch.rand`. */
export class Uniform extends Distribution {
  constructor(low: Tensor | number, high: Tensor | number, validateArgs?: boolean | null, options?: UniformOptions);
  constructor(low: Tensor | number, high: Tensor | number, options?: UniformOptions);
  constructor(low: Tensor | number, options: UniformOptions);
  constructor(options: UniformOptions);
  constructor(...args: unknown[]) {
    const { low, high, validateArgs } = bindArgs('Uniform', ['low', 'high', 'validateArgs'], args) as UniformOptions;
    if (low === undefined || high === undefined) {
      throw new TypeError(`__init__() missing 1 required positional argument: '${low === undefined ? 'low' : 'high'}'`);
    }
    const [l, h] = broadcastAll(low, high);
    super(typeof low === 'number' && typeof high === 'number' ? [] : l.shape, [], validateArgs, { low: l, high: h });
    if (this._validateArgs && !T.lt(l, h).all().item()) throw new RangeError('Uniform is not defined when low>= high');
  }

  override get argConstraints(): Record<string, constraints.Constraint> {
    return { low: constraints.dependent, high: constraints.dependent };
  }

  override get support(): constraints.Constraint {
    return constraints.interval(this.low, this.high);
  }

  override get hasRsample(): boolean {
    return true;
  }

  get low(): Tensor {
    return this._dict.low;
  }

  get high(): Tensor {
    return this._dict.high;
  }

  override get mean(): Tensor {
    return this.high.add(this.low).div(2);
  }

  override get mode(): Tensor {
    return this.high.mul(NaN);
  }

  override get stddev(): Tensor {
    return this.high.sub(this.low).div(12 ** 0.5);
  }

  override get variance(): Tensor {
    return this.high.sub(this.low).pow(2).div(12);
  }

  override rsample(sampleShape: readonly number[] = []): Tensor {
    const shape = this.extendedShape(sampleShape);
    const rand = T.rand(shape, { dtype: this.low.dtype, device: this.low.device });
    return this.low.add(rand.mul(this.high.sub(this.low)));
  }

  override logProb(value: Tensor): Tensor {
    if (this._validateArgs) this.validateSample(value);
    const lb = this.low.le(value).to(this.low.dtype);
    const ub = this.high.gt(value).to(this.low.dtype);
    return T.log(lb.mul(ub)).sub(T.log(this.high.sub(this.low)));
  }

  override cdf(value: Tensor): Tensor {
    if (this._validateArgs) this.validateSample(value);
    const result = T.sub(value, this.low).div(this.high.sub(this.low));
    return result.clamp(0, 1);
  }

  override icdf(value: Tensor): Tensor {
    return T.mul(value, this.high.sub(this.low)).add(this.low);
  }

  override entropy(): Tensor {
    return T.log(this.high.sub(this.low));
  }

  override expand(batchShape: readonly number[]): this {
    return this.blank(batchShape, { low: this.low.expand([...batchShape]), high: this.high.expand([...batchShape]) });
  }
}
