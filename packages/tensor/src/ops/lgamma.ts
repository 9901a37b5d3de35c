import { supportedDTypes } from '@descent/backend';
import { defaultFloatDType, isFloating } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';

// `torch.lgamma`, composed (as special-math.ts's functions are) so that every backend runs it and autograd
// differentiates it: Lanczos' approximation (g = 7, nine terms; about 1e-15 relative in float64) for x >= 1/2, and
// the reflection formula log(pi / |sin(pi x)|) - lgamma(1 - x) below, worked in float64 where the backend has it.

const G = 7;
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** log Gamma(z) for z >= 1/2 by Lanczos: (z - 1/2) log(t) - t + log(sqrt(2 pi) * series), t = z + g - 1/2. */
function lanczos(z: Tensor): Tensor {
  const zm1 = z.sub(1);
  let series = zm1.mul(0).add(COEFFICIENTS[0]);
  for (let i = 1; i < COEFFICIENTS.length; i++) series = series.add(zm1.add(i).reciprocal().mul(COEFFICIENTS[i]));
  const t = zm1.add(G + 0.5);
  return zm1.add(0.5).mul(t.log()).sub(t).add(series.log()).add(HALF_LOG_TWO_PI);
}

/**
 * `torch.lgamma(x)`: log |Gamma(x)|; +inf at 0 and the negative integers, 0 at 1 and 2 exactly (as libm's).
 * Integer inputs give the default float dtype.
 */
export function lgamma(x: Tensor): Tensor {
  const input = isFloating(x.dtype) ? x : x.to(defaultFloatDType());
  const wide = input.dtype === 'float32' && supportedDTypes(input.device.backend).includes('float64');
  const w = wide ? input.to('float64') : input;
  const v = w.detach();
  const reflect = v.lt(0.5);
  // Each branch sees only inputs it is defined on, so the one where() drops passes no NaN into the gradient.
  const main = lanczos(where(reflect, w.neg().add(1), w));
  const zr = where(reflect, w, 0.25);
  const reflected = zr.mul(Math.PI).sin().abs().reciprocal().mul(Math.PI).log().sub(main);
  const pole = reflect.logicalAnd(v.eq(v.floor()));
  const exactZero = v.eq(1).logicalOr(v.eq(2));
  const value = where(reflect, reflected, main);
  // At 1 and 2, x - x.detach(): exactly 0, as libm gives, with the gradient (digamma) kept.
  const out = where(pole, Infinity, where(exactZero, value.sub(value.detach()), value));
  return presentAs(out.to(input.dtype), 'LgammaBackward0', [input]);
}
