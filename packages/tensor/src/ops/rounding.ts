import { isFloating, isIntegral, scalarTypeName } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { truncDivideIntegers, div } from './arithmetic.js';
import { full } from './creation.js';
import { where } from './indexing.js';
import { operands, resultType, type TensorLike } from './scalar.js';
import { presentAs } from './present-as.js';

// Rounding toward zero, the division remainders (`fmod`, `remainder`, `floor_divide`) and gcd/lcm, composed from
// floor, ceil, comparisons and the backend's truncating integer division, so every backend runs them as they are.

/** `torch.trunc`: rounds toward zero; its gradient is zero, as floor's and ceil's. */
export function trunc(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) return x.clone();
  // Recorded through floor and ceil (zero gradient), as PyTorch's TruncBackward0.
  return presentAs(where(x.detach().lt(0), x.ceil(), x.floor()), 'TruncBackward0', [x]);
}

/** `torch.frac`: `x - trunc(x)`, gradient 1. */
export function frac(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`"frac_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  return presentAs(x.sub(trunc(x)), 'FracBackward0', [x]);
}

function checkOperands(name: string, a: TensorLike, b: TensorLike): void {
  if (!(a instanceof Tensor)) {
    throw new TypeError(`${name}() received an invalid combination of arguments - got (${typeof a}, Tensor), but expected (Tensor input, Tensor other)`);
  }
  if (resultType(a, b) === 'bool') throw new TypeError(`"${name}_cpu" not implemented for 'Bool'`);
}

/** PyTorch raises on an integer division by zero; where values can be read without waiting, so does Descent. */
function checkIntegerDivisor(b: TensorLike, dtype: string): void {
  if (isFloating(dtype as never)) return;
  if (!(b instanceof Tensor)) {
    if (Number(b) === 0) throw new RangeError('ZeroDivisionError');
  } else if (b.device.supports('readSync') && Array.from(b.dataSync(), Number).includes(0)) {
    throw new RangeError('ZeroDivisionError');
  }
}

/** The C remainder, with the sign of the dividend: `a - trunc(a / b) * b`; grad `b` is `-trunc(a / b)`. */
export function fmod(a: Tensor, b: TensorLike): Tensor {
  checkOperands('fmod', a, b);
  const dtype = resultType(a, b);
  checkIntegerDivisor(b, dtype);
  if (!isFloating(dtype)) return a.sub(truncDivideIntegers(a.to(dtype), b).mul(b));
  const quotient = trunc(div(a.detach(), b instanceof Tensor ? b.detach() : b));
  // A negative dividend's remainder is -(|a| - q b), so that a zero remainder is -0, as C's fmod gives.
  const rest = a.sub(quotient.mul(b));
  return presentAs(where(a.detach().lt(0), a.neg().sub(quotient.neg().mul(b)).neg(), rest), b instanceof Tensor ? 'FmodBackward1' : 'FmodBackward0', [a]);
}

/** Where `fmod` and Python's modulo differ: a nonzero remainder whose sign is not the divisor's. */
function needsShift(mod: Tensor, b: TensorLike): Tensor {
  return mod.ne(0).logicalAnd(mod.lt(0).ne(b instanceof Tensor ? b.lt(0) : Number(b) < 0));
}

/** Python's `%`, with the sign of the divisor, as PyTorch computes it: `fmod`, then shifted by `b` where the signs differ. */
export function remainder(a: TensorLike, b: TensorLike): Tensor {
  if (!(a instanceof Tensor)) return remainder(full0(a, b as Tensor), b);
  checkOperands('remainder', a, b);
  const mod = fmod(a, b);
  return presentAs(where(needsShift(mod, b), mod.add(b), mod), b instanceof Tensor ? 'RemainderBackward1' : 'RemainderBackward0', [a]);
}

/** A number dividend as a 0-d tensor beside a tensor divisor (`torch.remainder(-7, t)`). */
function full0(a: TensorLike, b: Tensor): Tensor {
  return full([], Number(a), { dtype: resultType(a, b), device: b.device });
}

/**
 * `torch.floor_divide(a, b)`: the quotient rounded toward negative infinity (PyTorch 1.13 floors, it no longer
 * truncates), computed as PyTorch does for floats: `(a - fmod(a, b)) / b`, corrected. Not differentiable.
 */
export function floorDivide(a: TensorLike, b: TensorLike): Tensor {
  if (!(a instanceof Tensor)) return floorDivide(full0(a, b as Tensor), b);
  checkOperands('floor_divide', a, b);
  const dtype = resultType(a, b);
  checkIntegerDivisor(b, dtype);
  const x = a.detach().to(dtype);
  const y = b instanceof Tensor ? b.detach().to(dtype) : b;
  const mod = fmod(x, y);
  if (!isFloating(dtype)) {
    const q = truncDivideIntegers(x, y);
    return where(needsShift(mod, y), q.sub(1), q);
  }
  let quotient = x.sub(mod).div(y);
  quotient = where(needsShift(mod, y), quotient.sub(1), quotient);
  let floored = quotient.floor();
  floored = where(quotient.sub(floored).gt(0.5), floored.add(1), floored);
  // A zero divisor gives the true quotient (an infinity or NaN), as in PyTorch.
  const zero = y instanceof Tensor ? y.eq(0) : null;
  if (zero === null) return Number(y) === 0 ? x.div(y) : floored;
  return where(zero, x.div(y), floored);
}

/** `torch.true_divide`: `div`. */
export const trueDivide = (a: TensorLike, b: TensorLike): Tensor => div(a, b);

/** Euclid's steps that bring any pair of int64 values to their gcd (the Fibonacci worst case takes 92). */
const EUCLID_STEPS = 93;

/** `torch.gcd(a, b)`: the greatest common divisor (non-negative; gcd(0, 0) = 0), of integer tensors. */
export function gcd(a: Tensor, b: Tensor): Tensor {
  const dtype = resultType(a, b);
  if (!isIntegral(dtype)) throw new TypeError(`"gcd_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  let [x, y] = operands(a.abs(), b.abs(), dtype);
  // Elementwise Euclid with a fixed number of steps: once y is 0 a pair stays put.
  for (let i = 0; i < EUCLID_STEPS; i++) {
    const done = y.eq(0);
    const safe = where(done, 1, y);
    [x, y] = [where(done, x, y), where(done, y, remainder(x, safe))];
  }
  return x;
}

/** `torch.lcm(a, b)`: the least common multiple (non-negative; 0 when either is 0). */
export function lcm(a: Tensor, b: Tensor): Tensor {
  const g = gcd(a, b);
  const dtype = g.dtype;
  return where(g.eq(0), 0, floorDivide(a.abs().to(dtype), where(g.eq(0), 1, g)).mul(b.abs().to(dtype)).abs());
}
