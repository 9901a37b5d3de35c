import type { DType } from '@descent/backend';
import { isFloating, scalarTypeName } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';
import { operands, resultType, type TensorLike } from './scalar.js';
import { floating, inWork } from './special-math.js';
import { pow } from './arithmetic.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

// copysign, nextafter, frexp and ldexp, written with comparisons and exact arithmetic (powers of two) so every
// backend runs them.

/** `torch.copysign(a, b)`: |a| with the sign bit of b (-0 and -NaN count as negative); integers give float32. */
export function copysign(a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  const [x, y] = operands(a, b, isFloating(dtype) ? dtype : 'float32');
  const out = where(y.signbit(), x.abs().neg(), x.abs());
  // copysign.Tensor and copysign.Scalar are PyTorch's two overloads.
  return presentAs(out, b instanceof Tensor ? 'CopysignBackward0' : 'CopysignBackward1', [x]);
}

/** floor(log2 m) of magnitudes m (-inf at 0), corrected where the logarithm rounded across a power of two. */
function binaryExponent(magnitude: Tensor): Tensor {
  let e = floating(magnitude).log2().floor();
  e = where(e.exp2().gt(magnitude), e.sub(1), e);
  return where(e.add(1).exp2().le(magnitude), e.add(1), e);
}

/** Mantissa bits and the smallest exponent of a subnormal step, per float dtype. */
const FORMAT: Partial<Record<DType, { bits: number; tiny: number; max: number }>> = {
  float32: { bits: 23, tiny: -149, max: 3.4028234663852886e38 },
  float64: { bits: 52, tiny: -1074, max: Number.MAX_VALUE },
};

/**
 * `torch.nextafter(a, b)`: the next representable value after a towards b, in the dtype. The step is a power of two:
 * 2^(e - mantissa bits) for |a| in [2^e, 2^(e+1)), half that when a is 2^e and moves towards zero, never below the
 * smallest subnormal. Not differentiable (PyTorch has no gradient for it either).
 */
export function nextafter(a: Tensor, b: TensorLike): Tensor {
  const dtype = resultType(a, b);
  const format = FORMAT[dtype];
  if (!format) throw new TypeError(`"nextafter_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  const [x, y] = operands(a.detach(), b instanceof Tensor ? b.detach() : b, dtype);
  const magnitude = x.abs();
  const e = binaryExponent(magnitude);
  const up = y.gt(x);
  const towardZero = up.logicalXor(x.gt(0));
  const halve = towardZero.logicalAnd(magnitude.eq(e.exp2()));
  const exponent = where(halve, e.sub(format.bits + 1), e.sub(format.bits)).clamp(format.tiny, null);
  const step = where(x.eq(0), format.tiny, exponent).exp2().to(dtype);
  const moved = where(up, x.add(step), x.sub(step));
  // Stepping from the smallest subnormal to zero keeps the sign (-tiny moves to -0).
  const landed = where(moved.eq(0), x.mul(0), moved);
  const largest = full([], format.max, { dtype, device: x.device });
  const fromInfinity = where(x.gt(0), largest, largest.neg());
  const value = where(magnitude.eq(Infinity), fromInfinity, landed);
  return where(x.eq(y).logicalOr(x.isnan()).logicalOr(y.isnan()), where(x.isnan(), x, y), value);
}

/** What `torch.frexp` returns, like PyTorch's `(mantissa, exponent)` named tuple. */
export class Frexp {
  constructor(
    readonly mantissa: Tensor,
    readonly exponent: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.frexp(...)`). */
  toString(): string {
    return returnTypeRepr('frexp', { mantissa: this.mantissa, exponent: this.exponent });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.mantissa;
    yield this.exponent;
  }
}

/**
 * `torch.frexp(x)`: x = mantissa * 2^exponent with |mantissa| in [0.5, 1) and an int32 exponent; zeros, infinities
 * and NaN keep their value as the mantissa with exponent 0, as C's frexp. The mantissa's gradient is 2^-exponent.
 */
export function frexp(x: Tensor): Frexp {
  if (!isFloating(x.dtype)) throw new TypeError('torch.frexp() only supports floating-point dtypes');
  const magnitude = x.detach().abs();
  const special = magnitude.eq(0).logicalOr(magnitude.eq(Infinity)).logicalOr(x.detach().isnan());
  const e = where(special, 0, binaryExponent(where(special, 1, magnitude)).add(1));
  // Divided in float64 where the device has it: 2^-e can be subnormal in float32.
  const mantissa = where(special, x, inWork(x, (w) => w.mul(e.to(w.dtype).neg().exp2())));
  return new Frexp(presentAs(mantissa, 'FrexpBackward0', [x]), e.to('int32'));
}

/** `torch.ldexp(x, e)`: x * 2^e (a float result, as PyTorch's, which multiplies). */
export function ldexp(x: Tensor, e: Tensor): Tensor {
  const base = isFloating(x.dtype) ? x : x.to('float32');
  return base.mul(pow(2, e.to(base.dtype)));
}
