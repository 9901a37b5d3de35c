import { supportedDTypes, type DType } from '@descent/backend';
import { defaultFloatDType, isFloating, scalarTypeName } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { where } from './indexing.js';
import { pow } from './arithmetic.js';
import { operands, resultType, type TensorLike } from './scalar.js';
import { presentAs } from './present-as.js';

// Elementwise functions PyTorch has as kernels, composed here from exp, log, erf, sin and arithmetic so that every
// backend runs them and autograd differentiates them with no rules of their own. Where a plain formula would lose
// precision (expm1, log1p, erfc), the composition is the accurate one.

/** Integer and bool inputs become float32, as PyTorch's floating ops do. */
export const floating = (x: Tensor): Tensor => (isFloating(x.dtype) ? x : x.to(defaultFloatDType()));

/** float32 work is done in float64 where the backend has it, so results (and gradients) round once. */
function work(x: Tensor): Tensor {
  return x.dtype === 'float32' && supportedDTypes(x.device.backend).includes('float64') ? x.to('float64') : x;
}

/** `fn` on `x` in the working dtype (float64 where the backend has it), the result back in `x`'s floating dtype. */
export function inWork(x: Tensor, fn: (w: Tensor) => Tensor): Tensor {
  const input = floating(x);
  return fn(work(input)).to(input.dtype);
}

/** `c[0] + c[1] u + c[2] u^2 + ...` by Horner's rule (at least two coefficients). */
export function polynomial(u: Tensor, c: readonly number[]): Tensor {
  let s = u.mul(c[c.length - 1]);
  for (let i = c.length - 2; i > 0; i--) s = s.add(c[i]).mul(u);
  return s.add(c[0]);
}

/** Below this magnitude expm1 and log1p use Kahan's forms; above it the plain formula loses nothing. */
const SMALL = 0.5;

/** `fn` on the small inputs (others replaced by 0, so its gradient stays finite), `plain` on the rest. */
function splitSmall(w: Tensor, fn: (small: Tensor) => Tensor, plain: (w: Tensor) => Tensor): Tensor {
  const small = w.detach().abs().lt(SMALL);
  return where(small, fn(where(small, w, 0)), plain(w));
}

/** `exp(x) - 1` without the cancellation for small x (Kahan): `(u - 1) * x / log(u)` with `u = exp(x)`. */
export const expm1 = (x: Tensor): Tensor => presentAs(expm1Composed(x), 'Expm1Backward0', [x]);

const expm1Composed = (x: Tensor): Tensor =>
  inWork(x, (w) =>
    splitSmall(
      w,
      (s) => {
        const u = s.exp();
        const one = u.eq(1);
        return where(one, s, u.sub(1).mul(s).div(where(one, 1, u.log())));
      },
      (v) => v.exp().sub(1),
    ),
  );

/** `log(1 + x)` without the rounding of `1 + x` for small x (Kahan): `log(u) * x / (u - 1)` with `u = 1 + x`. */
export const log1p = (x: Tensor): Tensor => presentAs(log1pComposed(x), 'Log1PBackward0', [x]);

const log1pComposed = (x: Tensor): Tensor =>
  inWork(x, (w) =>
    splitSmall(
      w,
      (s) => {
        const u = s.add(1);
        const one = u.eq(1);
        return where(one, s, u.log().mul(s).div(where(one, 1, u.sub(1))));
      },
      (v) => v.add(1).log(),
    ),
  );

export const log2 = (x: Tensor): Tensor => inWork(x, (w) => w.log().mul(Math.LOG2E));
export const log10 = (x: Tensor): Tensor => inWork(x, (w) => w.log().mul(Math.LOG10E));

/** `2 ** x`. */
export const exp2 = (x: Tensor): Tensor => presentAs(pow(2, floating(x)), 'Exp2Backward0', [x]);

const CONTINUED_FRACTION_TERMS = 24;
const ERFC_TAIL = 2.5;

/** `sqrt(pi) (t + (1/2) / (t + 1 / (t + (3/2) / ...)))`: erfc(t) is exp(-t^2) over it, for t from 2.5 up. */
function erfcTailDenominator(t: Tensor): Tensor {
  let k = t;
  for (let n = CONTINUED_FRACTION_TERMS; n >= 1; n--) k = t.add(k.reciprocal().mul(n / 2));
  return k.mul(Math.sqrt(Math.PI));
}

/**
 * `1 - erf(x)`; from 2.5 up, where that subtraction would cancel, the continued fraction
 * `exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / ...)))` (as the CPU backend's erf computes its tails).
 */
export const erfc = (x: Tensor): Tensor =>
  inWork(x, (w) => {
    const tail = w.detach().ge(ERFC_TAIL);
    const t = where(tail, w, ERFC_TAIL);
    return where(tail, t.mul(t).neg().exp().div(erfcTailDenominator(t)), w.erf().neg().add(1));
  });

/**
 * `torch.special.erfcx(x)`: `exp(x^2) erfc(x)` without the overflow: the continued fraction's reciprocal from 2.5
 * up, and `2 exp(x^2) - erfcx(-x)` below zero (+inf once exp(x^2) overflows, as PyTorch).
 */
export function erfcx(x: Tensor): Tensor {
  const out = inWork(x, (w) => {
    const negative = w.detach().lt(0);
    // -w below zero, not |w|: abs has no slope at 0, where erfcx's is -2/sqrt(pi).
    const a = where(negative, w.neg(), w);
    const tail = a.detach().ge(ERFC_TAIL);
    const near = where(tail, 0, a);
    // Each branch sees inputs where it is finite, so the unused one's gradient stays 0, never NaN.
    const positive = where(tail, erfcTailDenominator(where(tail, a, ERFC_TAIL)).reciprocal(), near.square().exp().mul(near.erf().neg().add(1)));
    const m = where(negative, w, 0);
    return where(negative, m.square().exp().mul(2).sub(positive), positive);
  });
  return presentAs(out, 'SpecialErfcxBackward0', [x]);
}

/** `torch.special.log_ndtr(x)`: log of the standard normal CDF, from erfcx below -1 (no underflow), as PyTorch. */
export function logNdtr(x: Tensor): Tensor {
  const out = inWork(x, (w) => {
    const lower = w.detach().lt(-1);
    const low = where(lower, w, -1);
    const high = where(lower, 0, w);
    const fromBelow = erfcx(low.mul(-Math.SQRT1_2)).div(2).log().sub(low.square().div(2));
    return where(lower, fromBelow, log1p(erfc(high.mul(Math.SQRT1_2)).div(-2)));
  });
  return presentAs(out, 'SpecialLogNdtrBackward0', [x]);
}

/** `x * x`, in the input's dtype (bool gives int64, as PyTorch's `pow(x, 2)`). */
export function square(x: Tensor): Tensor {
  const input = x.dtype === 'bool' ? x.to('int64') : x;
  // PyTorch's square is pow(x, 2).
  return presentAs(input.mul(input), 'PowBackward0', [x]);
}

/** `sin(pi x) / (pi x)`, 1 at 0 (with gradient 0 there, as PyTorch's). */
export function sinc(x: Tensor): Tensor {
  const input = floating(x);
  const zero = input.detach().eq(0);
  const px = where(zero, 1, input).mul(Math.PI);
  return presentAs(where(zero, 1, px.sin().div(px)), 'SincBackward0', [x]);
}

export const deg2rad = (x: Tensor): Tensor => presentAs(floating(x).mul(Math.PI / 180), 'Deg2RadBackward0', [x]);
export const rad2deg = (x: Tensor): Tensor => floating(x).mul(180 / Math.PI);

function floatOperands(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const dtype = resultType(a, b);
  return operands(a, b, isFloating(dtype) ? dtype : defaultFloatDType());
}

function requireFloating(name: string, a: TensorLike, b: TensorLike): DType {
  const dtype = resultType(a, b);
  if (!isFloating(dtype)) throw new TypeError(`"${name}_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  return dtype;
}

/**
 * `x * log(y)`, 0 where x is 0 (even for y 0 or infinite), NaN where y is NaN. The gradient of x is log(y), as
 * PyTorch's, except where both are 0.
 */
export function xlogy(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = floatOperands(x, y);
  const skip = a.detach().eq(0).logicalAnd(b.detach().eq(0).logicalOr(b.detach().eq(Infinity)));
  // xlogy.Tensor, xlogy.Scalar_Self and xlogy.Scalar_Other are PyTorch's three overloads.
  const name = x instanceof Tensor ? (y instanceof Tensor ? 'XlogyBackward0' : 'XlogyBackward2') : 'XlogyBackward1';
  return presentAs(a.mul(where(skip, 0, where(skip, 1, b).log())), name, [a, b]);
}

/** `sqrt(a^2 + b^2)`, computed in float64 where the backend has it (no overflow of the squares for float32). */
export function hypot(a: Tensor, b: TensorLike): Tensor {
  requireFloating('hypot', a, b);
  const [x, y] = operands(a, b, resultType(a, b));
  const [wx, wy] = [work(x), work(y)];
  return presentAs(wx.mul(wx).add(wy.mul(wy)).sqrt().to(x.dtype), 'HypotBackward0', [x, y]);
}

/** `log(exp(a) + exp(b))` as PyTorch computes it: `max + log1p(exp(-|a - b|))`, and `a` where both are the same infinity. */
export function logaddexp(a: Tensor, b: TensorLike): Tensor {
  requireFloating('logaddexp', a, b);
  const [x, y] = operands(a, b, resultType(a, b));
  const same = x.detach().abs().eq(Infinity).logicalAnd(x.detach().eq(y.detach()));
  const diff = where(same, 0, x.sub(y));
  const out = x.maximum(y).add(log1p(diff.abs().neg().exp()));
  return presentAs(where(same, x, out), 'LogaddexpBackward0', [x, y]);
}

/** `torch.logaddexp2(a, b)`: `log2(2^a + 2^b)` as PyTorch computes it, `max + log1p(2^-|a - b|) / ln 2`. */
export function logaddexp2(a: Tensor, b: TensorLike): Tensor {
  requireFloating('logaddexp2', a, b);
  const [x, y] = operands(a, b, resultType(a, b));
  const same = x.detach().abs().eq(Infinity).logicalAnd(x.detach().eq(y.detach()));
  const diff = where(same, 0, x.sub(y));
  const out = x.maximum(y).add(log1p(pow(2, diff.abs().neg())).mul(Math.LOG2E));
  return presentAs(where(same, x, out), 'Logaddexp2Backward0', [x, y]);
}

/** `torch.special.xlog1py(x, y)`: `x * log1p(y)`, 0 where x is 0 (unless y is NaN). */
export function xlog1py(x: TensorLike, y: TensorLike): Tensor {
  const [a, b] = floatOperands(x, y);
  const skip = a.detach().eq(0).logicalAnd(b.detach().isnan().logicalNot());
  return presentAs(a.mul(where(skip, 0, log1p(where(skip, 0, b)))), 'SpecialXlog1PyBackward0', [a, b]);
}

/** `torch.special.entr(x)`: `-x log(x)`, 0 at 0 and -inf below. */
export function entr(x: Tensor): Tensor {
  const input = floating(x);
  const positive = input.detach().gt(0);
  const inside = where(positive, input, 1);
  const value = where(positive, inside.mul(inside.log()).neg(), where(input.detach().eq(0), 0, where(input.detach().isnan(), NaN, -Infinity)));
  return presentAs(value, 'SpecialEntrBackward0', [x]);
}

/** `torch.special.ndtr(x)`: the standard normal CDF, `erfc(-x / sqrt(2)) / 2` (accurate in the lower tail). */
export function ndtr(x: Tensor): Tensor {
  // PyTorch 1.13 composes it too: its last node is a multiplication by 0.5 (MulBackward1).
  return presentAs(erfc(floating(x).mul(-Math.SQRT1_2)).mul(0.5), 'MulBackward1', [x]);
}
