import type { Tensor } from '../tensor.js';
import { noGrad } from '../grad-mode.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';
import { erfc, inWork, polynomial } from './special-math.js';

// erfinv, ndtri and logit, composed from erf, erfc, log and arithmetic (in float64 where the backend has it) so every
// backend runs them. erfinv starts from Giles' single-precision approximation and polishes it with Newton's method
// on erf (erfc near |y| = 1, where erf saturates); the Newton steps are differentiable, so autograd's gradient
// converges to PyTorch's sqrt(pi)/2 exp(erfinv(y)^2) with them.

const NEWTON_STEPS = 3;
const HALF_SQRT_PI = Math.sqrt(Math.PI) / 2;

/** Giles' "Approximating the erfinv function" (GPU Gems), accurate to float32: the starting point for Newton. */
function gilesStart(a: Tensor): Tensor {
  const w = a.mul(a).neg().add(1).log().neg();
  const central = [1.50140941, 0.246640727, -0.00417768164, -0.00125372503, 0.00021858087, -4.39150654e-6, -3.5233877e-6, 3.43273939e-7, 2.81022636e-8];
  const tail = [2.83297682, 1.00167406, 0.00943887047, -0.0076224613, 0.00573950773, -0.00367342844, 0.00134934322, 0.000100950558, -0.000200214257];
  const small = w.lt(5);
  const p = where(small, polynomial(where(small, w, 5).sub(2.5), central), polynomial(where(small, 5, w).sqrt().sub(3), tail));
  return p.mul(a);
}

/**
 * erfinv(y) for |y| < 1, given `q = 1 - |y|` exactly (ndtri knows it without rounding): Newton on erf(x) = y for
 * |y| < 0.5 and on erfc(|x|) = q above, so the residual keeps its digits as erf(x) approaches +-1.
 */
function erfinvInside(y: Tensor, q: Tensor): Tensor {
  let x = noGrad(() => gilesStart(y.detach()));
  const low = y.detach().abs().lt(0.5);
  const s = where(y.detach().lt(0), -1, 1);
  for (let i = 0; i < NEWTON_STEPS; i++) {
    const residual = where(low, x.erf().sub(y), q.sub(erfc(x.mul(s))).mul(s));
    x = x.sub(residual.mul(x.square().exp()).mul(HALF_SQRT_PI));
  }
  return x;
}

/** erfinv(y) with `q = 1 - |y|`: +-inf at +-1 and NaN beyond, as PyTorch. */
function erfinvSigned(y: Tensor, q: Tensor): Tensor {
  const edge = y.detach().abs().ge(1);
  // The Newton steps see 0 where |y| >= 1, so their (unused) gradient there stays finite.
  const x = erfinvInside(where(edge, 0, y), where(edge, 1, q));
  return where(edge, where(y.detach().abs().eq(1), y.detach().mul(Infinity), NaN), x);
}

/** `torch.erfinv(y)` (`torch.special.erfinv`): x with erf(x) = y. */
export function erfinv(y: Tensor): Tensor {
  return presentAs(
    inWork(y, (w) => erfinvSigned(w, w.abs().neg().add(1))),
    'ErfinvBackward0',
    [y],
  );
}

/** `torch.special.ndtri(p)`: the quantile of the standard normal, `-sqrt(2) erfcinv(2p)`, exact near p = 0 and 1. */
export function ndtri(p: Tensor): Tensor {
  const out = inWork(p, (w) => {
    // y = 1 - 2p, and 1 - |y| = 2p (p < 1/2) or 2 - 2p (p >= 1/2), each without rounding.
    const lower = w.detach().lt(0.5);
    const q = where(lower, w.mul(2), w.neg().add(1).mul(2));
    return erfinvSigned(w.mul(2).sub(1), q).mul(Math.SQRT2);
  });
  return presentAs(out, 'SpecialNdtriBackward0', [p]);
}

/** `torch.logit(x, eps=None)`: log(z / (1 - z)), with z = x clamped to [eps, 1 - eps] when eps is given. */
export function logit(x: Tensor, eps: number | null = null): Tensor {
  const out = inWork(x, (w) => {
    const z = eps === null ? w : w.clamp(eps, 1 - eps);
    return z.div(z.neg().add(1)).log();
  });
  return presentAs(out, 'LogitBackward0', [x]);
}
