import type { Tensor } from '../tensor.js';
import { atan2 } from './arctangent.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';
import { expm1, inWork, log1p } from './special-math.js';

// tan, the hyperbolic functions and the inverse sines and cosines, which the backends have no kernel for, composed
// from sin, cos, exp, expm1, log1p, sqrt and atan2 in float64 where the backend has it (so float32 results round
// once), in the forms that keep their digits near 0 and 1. Autograd differentiates them.

/** Above this magnitude asinh and acosh are log(2|x|) (x^2 would overflow float64 for the largest inputs). */
const HUGE = 2 ** 28;

/** `fn` on float64 work values, named as PyTorch's node. */
const composed = (x: Tensor, name: string, fn: (w: Tensor) => Tensor): Tensor => presentAs(inWork(x, fn), name, [x]);

/** `torch.tan(x)`: sin(x) / cos(x). */
export const tan = (x: Tensor): Tensor => composed(x, 'TanBackward0', (w) => w.sin().div(w.cos()));

/** `torch.sinh(x)`: (expm1(x) - expm1(-x)) / 2, exact near 0. */
export const sinh = (x: Tensor): Tensor => composed(x, 'SinhBackward0', (w) => expm1(w).sub(expm1(w.neg())).mul(0.5));

/** `torch.cosh(x)`: (exp(x) + exp(-x)) / 2. */
export const cosh = (x: Tensor): Tensor => composed(x, 'CoshBackward0', (w) => w.exp().add(w.neg().exp()).mul(0.5));

/** `torch.asinh(x)`: sign(x) log1p(|x| + x^2 / (1 + sqrt(1 + x^2))), and log(2|x|) for huge |x|. */
export const asinh = (x: Tensor): Tensor =>
  composed(x, 'AsinhBackward0', (w) => {
    const huge = w.detach().abs().gt(HUGE);
    const a = where(huge, 1, w).abs();
    const near = log1p(a.add(a.square().div(a.square().add(1).sqrt().add(1))));
    const far = where(huge, w, 1).abs().log().add(Math.LN2);
    const magnitude = where(huge, far, near);
    return where(w.detach().lt(0), magnitude.neg(), where(w.detach().eq(0), w, magnitude));
  });

/** `torch.acosh(x)`: log1p(t + sqrt(t (t + 2))) with t = x - 1 (exact near 1), log(2x) for huge x; NaN below 1. */
export const acosh = (x: Tensor): Tensor =>
  composed(x, 'AcoshBackward0', (w) => {
    const huge = w.detach().gt(HUGE);
    const t = where(huge, 1, w).sub(1);
    return where(huge, where(huge, w, 1).log().add(Math.LN2), log1p(t.add(t.mul(t.add(2)).sqrt())));
  });

/** `torch.atanh(x)`: log1p(2x / (1 - x)) / 2; +-inf at +-1, NaN beyond. */
export const atanh = (x: Tensor): Tensor => composed(x, 'AtanhBackward0', (w) => log1p(w.mul(2).div(w.neg().add(1))).mul(0.5));

/** `torch.asin(x)`: atan2(x, sqrt(1 - x^2)); NaN beyond +-1. */
export const asin = (x: Tensor): Tensor => composed(x, 'AsinBackward0', (w) => atan2(w, w.square().neg().add(1).sqrt()));

/** `torch.acos(x)`: atan2(sqrt(1 - x^2), x); NaN beyond +-1. */
export const acos = (x: Tensor): Tensor => composed(x, 'AcosBackward0', (w) => atan2(w.square().neg().add(1).sqrt(), w));
