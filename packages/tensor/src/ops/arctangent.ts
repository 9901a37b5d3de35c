import { supportedDTypes, type DType } from '@descent/backend';
import { isFloating } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { signbit } from './float-classes.js';
import { where } from './indexing.js';
import { operands, resultType, type TensorLike } from './scalar.js';
import { presentAs } from './present-as.js';

// The backend has no arctangent primitive, so atan is Cephes' atan/atanf written with tensor ops: the argument is
// reduced to a small interval (branches picked with `where`, each fed a safe value where it is not picked, so its
// gradient is finite), then a rational (float64) or polynomial (float32) approximation. Autograd differentiates the
// approximation, which is as close to 1 / (1 + x^2) as the values are to atan.

const P = [-0.8750608600031904, -16.157537187333652, -75.00855792314705, -122.88666844901361, -64.85021904942025];
const Q = [24.858464901423062, 165.02700983169885, 432.88106049129027, 485.3903996359137, 194.5506571482614];
const F = [8.05374449538e-2, -1.38776856032e-1, 1.99777106478e-1, -3.33329491539e-1];
const TAN_3PI_8 = 2.414213562373095;
const MOREBITS = 6.123233995736766e-17;

/** Horner's rule: `coefficients[0] * z^n + ... + coefficients[n]`, with a leading 1 when `monic`. */
function polynomial(z: Tensor, coefficients: readonly number[], monic = false): Tensor {
  let acc = monic ? z.add(coefficients[0]) : z.mul(coefficients[0]).add(coefficients[1]);
  for (let i = monic ? 1 : 2; i < coefficients.length; i++) acc = acc.mul(z).add(coefficients[i]);
  return acc;
}

/** float32 work is done in float64 where the backend has it, so each result rounds once, as libm's does. */
function workDType(x: Tensor): DType {
  return x.dtype === 'float32' && supportedDTypes(x.device.backend).includes('float64') ? 'float64' : x.dtype;
}

function atanFloating(t: Tensor): Tensor {
  const double = t.dtype === 'float64';
  const magnitude = t.detach().abs();
  const sign = t.detach().sign();
  const big = magnitude.gt(TAN_3PI_8);
  const mid = magnitude.gt(double ? 0.66 : 0.4142135623730950).logicalAnd(big.logicalNot());
  // atan(t) = sign * pi/2 + atan(-1/t) above tan(3pi/8); sign * pi/4 + atan((t - sign) / (1 + sign t)) in between.
  const tBig = where(big, t, 1);
  const tMid = where(mid, t, 0);
  const x = where(big, tBig.reciprocal().neg(), where(mid, tMid.sub(sign).div(tMid.mul(sign).add(1)), t));
  const offset = where(big, sign.mul(Math.PI / 2 + (double ? MOREBITS : 0)), where(mid, sign.mul(Math.PI / 4 + (double ? MOREBITS / 2 : 0)), 0));
  const z = x.mul(x);
  const series = double ? z.mul(polynomial(z, P)).div(polynomial(z, Q, true)) : polynomial(z, F).mul(z);
  // x (1 + series), and the offset only where there is one, so that atan(-0) stays -0.
  const core = x.mul(series.add(1));
  return where(big.logicalOr(mid), core.add(offset), core);
}

/** `torch.atan`: integer inputs give float32. */
export function atan(x: Tensor): Tensor {
  const input = isFloating(x.dtype) ? x : x.to('float32');
  const work = workDType(input);
  return atanFloating(input.to(work)).to(input.dtype);
}

/**
 * `torch.atan2(y, x)`: the angle of the point (x, y), in (-pi, pi]. The arctangent is taken of the ratio of the
 * smaller magnitude to the larger (at most 1), then moved to its quadrant; signed zeros pick the side as libm's.
 */
export function atan2(y: TensorLike, x: TensorLike): Tensor {
  const promoted = resultType(y, x);
  const [b, a] = operands(y, x, isFloating(promoted) ? promoted : 'float32');
  const out = b.dtype;
  const [yy, xx] = [b.to(workDType(b)), a.to(workDType(a))];
  const swap = yy.detach().abs().gt(xx.detach().abs());
  const numerator = where(swap, xx, yy);
  const denominator = where(swap, yy, xx);
  const safe = where(denominator.detach().eq(0), 1, denominator);
  const base = atanFloating(numerator.div(safe));
  const quadrant = signbit(yy).to(yy.dtype).mul(-2 * Math.PI).add(Math.PI);
  const unswapped = where(signbit(xx), base.add(quadrant), base);
  const swapped = yy.detach().sign().mul(Math.PI / 2).sub(base);
  return presentAs(where(swap, swapped, unswapped).to(out), 'Atan2Backward0', [b, a]);
}
