/**
 * `torch.distributions.constraints`: the sets a distribution's parameters and samples must lie in. `check(value)`
 * returns a bool tensor, one entry per event; `String(c)` is PyTorch's repr (it appears in validation errors).
 */
import * as T from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import { pyFormat } from './format.js';

type Bound = Tensor | number;

/** The base class: continuous and univariate unless a subclass says otherwise. */
export abstract class Constraint {
  get isDiscrete(): boolean {
    return false;
  }

  get eventDim(): number {
    return 0;
  }

  abstract check(value: Tensor): Tensor;

  toString(): string {
    return `${this.constructor.name.replace(/^_/, '')}()`;
  }
}

/** A placeholder for a constraint that depends on other parameters (Uniform's support); it cannot be checked. */
class _Dependent extends Constraint {
  constructor(private readonly options: { isDiscrete?: boolean; eventDim?: number } = {}) {
    super();
  }

  override get isDiscrete(): boolean {
    if (this.options.isDiscrete === undefined) throw new Error('.is_discrete cannot be determined statically');
    return this.options.isDiscrete;
  }

  override get eventDim(): number {
    if (this.options.eventDim === undefined) throw new Error('.event_dim cannot be determined statically');
    return this.options.eventDim;
  }

  check(): Tensor {
    throw new RangeError('Cannot determine validity of dependent constraint');
  }
}

/** `constraints.is_dependent(c)`. */
export const isDependent = (constraint: Constraint): boolean => constraint instanceof _Dependent;

/** Reinterprets the rightmost `reinterpretedBatchNdims` batch dims as event dims: all must hold. */
class _IndependentConstraint extends Constraint {
  constructor(
    readonly baseConstraint: Constraint,
    readonly reinterpretedBatchNdims: number,
  ) {
    super();
  }

  override get isDiscrete(): boolean {
    return this.baseConstraint.isDiscrete;
  }

  override get eventDim(): number {
    return this.baseConstraint.eventDim + this.reinterpretedBatchNdims;
  }

  check(value: Tensor): Tensor {
    const result = this.baseConstraint.check(value);
    if (result.ndim < this.reinterpretedBatchNdims) {
      throw new RangeError(`Expected value.dim() >= ${this.baseConstraint.eventDim + this.reinterpretedBatchNdims} but got ${value.ndim}`);
    }
    return result.reshape([...result.shape.slice(0, result.ndim - this.reinterpretedBatchNdims), -1]).all(-1);
  }

  override toString(): string {
    return `IndependentConstraint(${String(this.baseConstraint)}, ${this.reinterpretedBatchNdims})`;
  }
}

class _Boolean extends Constraint {
  override get isDiscrete(): boolean {
    return true;
  }

  check(value: Tensor): Tensor {
    return value.eq(0).logicalOr(value.eq(1));
  }
}

class _Real extends Constraint {
  check(value: Tensor): Tensor {
    return value.eq(value); // false for NaNs
  }
}

/** Whole numbers in `[lowerBound, upperBound]`. */
class _IntegerInterval extends Constraint {
  constructor(
    readonly lowerBound: number,
    readonly upperBound: number,
  ) {
    super();
  }

  override get isDiscrete(): boolean {
    return true;
  }

  check(value: Tensor): Tensor {
    return value.remainder(1).eq(0).logicalAnd(value.ge(this.lowerBound)).logicalAnd(value.le(this.upperBound));
  }

  override toString(): string {
    return `IntegerInterval(lower_bound=${pyFormat(this.lowerBound, true)}, upper_bound=${pyFormat(this.upperBound, true)})`;
  }
}

/** Whole numbers `>= lowerBound`. */
class _IntegerGreaterThan extends Constraint {
  constructor(readonly lowerBound: number) {
    super();
  }

  override get isDiscrete(): boolean {
    return true;
  }

  check(value: Tensor): Tensor {
    return value.remainder(1).eq(0).logicalAnd(value.ge(this.lowerBound));
  }

  override toString(): string {
    return `IntegerGreaterThan(lower_bound=${pyFormat(this.lowerBound, true)})`;
  }
}

/** One or two bounds, each a number or a tensor, compared with `op` (PyTorch's `_GreaterThan`, `_Interval`, ...). */
class _Bounded extends Constraint {
  constructor(
    private readonly name: string,
    private readonly bounds: [string, Bound][],
    private readonly test: (value: Tensor) => Tensor,
  ) {
    super();
  }

  check(value: Tensor): Tensor {
    return this.test(value);
  }

  override toString(): string {
    return `${this.name}(${this.bounds.map(([k, v]) => `${k}=${pyFormat(v)}`).join(', ')})`;
  }
}

// `value >= bound` reads as Python's `bound <= value` (both NaN-false); a bound is a number or a tensor.
export const greaterThan = (lowerBound: Bound): Constraint => new _Bounded('GreaterThan', [['lower_bound', lowerBound]], (v) => T.gt(v, lowerBound));
export const greaterThanEq = (lowerBound: Bound): Constraint =>
  new _Bounded('GreaterThanEq', [['lower_bound', lowerBound]], (v) => T.ge(v, lowerBound));
export const lessThan = (upperBound: Bound): Constraint => new _Bounded('LessThan', [['upper_bound', upperBound]], (v) => T.lt(v, upperBound));
export const interval = (lowerBound: Bound, upperBound: Bound): Constraint =>
  new _Bounded('Interval', [['lower_bound', lowerBound], ['upper_bound', upperBound]], (v) => T.ge(v, lowerBound).logicalAnd(T.le(v, upperBound)));
export const halfOpenInterval = (lowerBound: Bound, upperBound: Bound): Constraint =>
  new _Bounded('HalfOpenInterval', [['lower_bound', lowerBound], ['upper_bound', upperBound]], (v) => T.ge(v, lowerBound).logicalAnd(T.lt(v, upperBound)));

/** Nonnegative vectors along the last dim that sum to 1 (within 1e-6). */
class _Simplex extends Constraint {
  override get eventDim(): number {
    return 1;
  }

  check(value: Tensor): Tensor {
    return value.ge(0).all(-1).logicalAnd(value.sum(-1).sub(1).abs().lt(1e-6));
  }
}

/** Count vectors of at most `upperBound` draws, as `constraints.multinomial(upper_bound)`: Multinomial's support. */
class _Multinomial extends Constraint {
  constructor(readonly upperBound: number) {
    super();
  }

  override get isDiscrete(): boolean {
    return true;
  }

  override get eventDim(): number {
    return 1;
  }

  check(value: Tensor): Tensor {
    return value.ge(0).all(-1).logicalAnd(value.sum(-1).le(this.upperBound));
  }
}

export const dependent = new _Dependent();
export const multinomial = (upperBound: number): Constraint => new _Multinomial(upperBound);
export const independent = (base: Constraint, reinterpretedBatchNdims: number): Constraint => new _IndependentConstraint(base, reinterpretedBatchNdims);
export const boolean = new _Boolean();
export const nonnegativeInteger = new _IntegerGreaterThan(0);
export const positiveInteger = new _IntegerGreaterThan(1);
export const integerInterval = (lowerBound: number, upperBound: number): Constraint => new _IntegerInterval(lowerBound, upperBound);
export const real = new _Real();
export const realVector = independent(real, 1);
export const positive = greaterThan(0);
export const nonnegative = greaterThanEq(0);
export const unitInterval = interval(0, 1);
export const simplex = new _Simplex();
