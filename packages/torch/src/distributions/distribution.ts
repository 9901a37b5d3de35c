import * as T from '@descent/tensor';
import { Tensor } from '@descent/tensor';
import { type Constraint, isDependent } from './constraints.js';
import { pyFormat, pySize, pyTuple } from './format.js';

/** What every distribution's constructor takes by keyword: `validate_args`. */
export interface DistributionOptions {
  validateArgs?: boolean | null;
}

// The host's console (Node and browsers); the build's `lib` leaves it out.
declare const console: { warn(message: string): void };
let sampleNWarned = false;

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

/**
 * `torch.distributions.Distribution`: batch and event shapes, argument and sample validation (on by default, as
 * in PyTorch; `Distribution.setDefaultValidateArgs(false)` turns it off), and the API each distribution fills in.
 * The parameters a subclass was given live in `_dict` (Python's `__dict__`), which validation and `toString()` read.
 */
export abstract class Distribution {
  private static defaultValidateArgs = true;
  protected readonly _dict: Record<string, Tensor> = {};
  protected _batchShape: number[];
  protected _eventShape: number[];
  protected _validateArgs: boolean;

  /** `Distribution.set_default_validate_args(value)`. */
  static setDefaultValidateArgs(value: boolean): void {
    if (value !== true && value !== false) throw new RangeError();
    Distribution.defaultValidateArgs = value;
  }

  constructor(batchShape: readonly number[] = [], eventShape: readonly number[] = [], validateArgs?: boolean | null, params: Record<string, Tensor> = {}) {
    Object.assign(this._dict, params);
    this._batchShape = [...batchShape];
    this._eventShape = [...eventShape];
    this._validateArgs = validateArgs ?? Distribution.defaultValidateArgs;
    if (!this._validateArgs) return;
    for (const [param, constraint] of Object.entries(this.argConstraints)) {
      if (isDependent(constraint) || !(param in this._dict)) continue; // dependent or lazily computed: not checked
      const value = this._dict[param];
      if (!constraint.check(value).all().item()) {
        throw new RangeError(
          `Expected parameter ${param} (Tensor of shape ${pyTuple(value.shape)}) of distribution ${this.toString()} ` +
            `to satisfy the constraint ${String(constraint)}, but found invalid values:\n${pyFormat(value)}`,
        );
      }
    }
  }

  get batchShape(): number[] {
    return [...this._batchShape];
  }

  get eventShape(): number[] {
    return [...this._eventShape];
  }

  /** Each parameter's constraint, by PyTorch's name (`probs`, `loc`, ...); a subclass without any checks nothing. */
  get argConstraints(): Record<string, Constraint> {
    return {};
  }

  get support(): Constraint {
    throw new Error(`${this.constructor.name} does not define support`);
  }

  get hasRsample(): boolean {
    return false;
  }

  get hasEnumerateSupport(): boolean {
    return false;
  }

  get mean(): Tensor {
    throw new Error(`${this.constructor.name} does not implement mean`);
  }

  get mode(): Tensor {
    throw new Error(`<class 'torch.distributions.${this.constructor.name.toLowerCase()}.${this.constructor.name}'> does not implement mode`);
  }

  get variance(): Tensor {
    throw new Error(`${this.constructor.name} does not implement variance`);
  }

  get stddev(): Tensor {
    return this.variance.sqrt();
  }

  /** A `sampleShape`-shaped batch of samples, without gradient. */
  sample(sampleShape: readonly number[] = []): Tensor {
    return T.noGrad(() => this.rsample(sampleShape));
  }

  /** A reparameterized sample: gradients flow back to the parameters. */
  rsample(sampleShape: readonly number[] = []): Tensor {
    void sampleShape;
    throw new Error(`${this.constructor.name} does not implement rsample`);
  }

  /** `sample_n(n)`: deprecated in PyTorch, with its warning. */
  sampleN(n: number): Tensor {
    if (!sampleNWarned) console.warn('UserWarning: sample_n will be deprecated. Use .sample((n,)) instead'); // once, as Python's filter
    sampleNWarned = true;
    return this.sample([n]);
  }

  logProb(value: Tensor): Tensor {
    void value;
    throw new Error(`${this.constructor.name} does not implement log_prob`);
  }

  cdf(value: Tensor): Tensor {
    void value;
    throw new Error(`${this.constructor.name} does not implement cdf`);
  }

  icdf(value: Tensor): Tensor {
    void value;
    throw new Error(`${this.constructor.name} does not implement icdf`);
  }

  enumerateSupport(expand = true): Tensor {
    void expand;
    throw new Error(`${this.constructor.name} does not implement enumerate_support`);
  }

  entropy(): Tensor {
    throw new Error(`${this.constructor.name} does not implement entropy`);
  }

  perplexity(): Tensor {
    return T.exp(this.entropy());
  }

  /** A new distribution of the same kind with its parameters expanded (views) to `batchShape`; not revalidated. */
  expand(batchShape: readonly number[]): this {
    void batchShape;
    throw new Error(`${this.constructor.name} does not implement expand`);
  }

  /** `sample_shape + batch_shape + event_shape`. */
  protected extendedShape(sampleShape: readonly number[] = []): number[] {
    return [...sampleShape, ...this._batchShape, ...this._eventShape];
  }

  /** Checks a value to score: a tensor, whose rightmost dims fit the event and batch shapes, inside the support. */
  protected validateSample(value: unknown): void {
    if (!(value instanceof Tensor)) throw new RangeError('The value argument to log_prob must be a Tensor');
    const actual = value.shape;
    const eventStart = actual.length - this._eventShape.length;
    if (eventStart < 0 || !sameShape(actual.slice(eventStart), this._eventShape)) {
      throw new RangeError(`The right-most size of value must match event_shape: ${pySize(actual)} vs ${pySize(this._eventShape)}.`);
    }
    const expected = [...this._batchShape, ...this._eventShape];
    for (let k = 1; k <= Math.min(actual.length, expected.length); k++) {
      const [i, j] = [actual[actual.length - k], expected[expected.length - k]];
      if (i !== 1 && j !== 1 && i !== j) {
        throw new RangeError(`Value is not broadcastable with batch_shape+event_shape: ${pySize(actual)} vs ${pySize(expected)}.`);
      }
    }
    if (!this.support.check(value).all().item()) {
      throw new RangeError(
        `Expected value argument (Tensor of shape ${pyTuple(actual)}) to be within the support (${String(this.support)}) ` +
          `of the distribution ${this.toString()}, but found invalid values:\n${pyFormat(value)}`,
      );
    }
  }

  /** A blank instance of this class for `expand` (Python's `_get_checked_instance`), sharing the validation flag. */
  protected blank(batchShape: readonly number[], params: Record<string, Tensor>): this {
    const next = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(next, { _dict: { ...params }, _batchShape: [...batchShape], _eventShape: [...this._eventShape], _validateArgs: this._validateArgs });
    return next;
  }

  /** PyTorch's repr: each given parameter as its value when it has one element, else its size. */
  toString(): string {
    const args = Object.keys(this.argConstraints)
      .filter((k) => k in this._dict)
      .map((k) => `${k}: ${this._dict[k].numel() === 1 ? pyFormat(this._dict[k]) : pySize(this._dict[k].shape)}`);
    return `${this.constructor.name}(${args.join(', ')})`;
  }
}
