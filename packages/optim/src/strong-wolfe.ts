import type { Tensor } from '@descent/tensor';
import { pyAbs, pyAdd, pyDiv, pyGe, pyGt, pyLe, pyLt, pyMax, pyMin, pyMul, pySub, type PyScalar } from './python-scalar.js';

// LBFGS's line search, op for op as PyTorch 1.13's `_cubic_interpolate` and `_strong_wolfe` (ported from
// torch/optim's lswolfe.lua). Step sizes, losses and directional derivatives are Python scalars: a float or a
// 0-d float32 tensor, whichever PyTorch's code makes them (see python-scalar.ts).

/** Evaluates the loss and flat gradient at `x + t * d`, then puts the parameters back to `x`. */
export type DirectionalEvaluate = (x: Tensor[], t: PyScalar, d: Tensor) => [number, Tensor];

export interface LineSearchResult {
  loss: number;
  flatGrad: Tensor;
  t: PyScalar;
  funcEvals: number;
}

function pySqrt(a: PyScalar): PyScalar {
  return typeof a === 'number' ? Math.sqrt(a) : a.sqrt();
}

/**
 * The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped to `bounds` (default:
 * between the two points); their midpoint when the cubic has no minimum.
 */
export function cubicInterpolate(
  x1: PyScalar,
  f1: PyScalar,
  g1: PyScalar,
  x2: PyScalar,
  f2: PyScalar,
  g2: PyScalar,
  bounds?: [PyScalar, PyScalar],
): PyScalar {
  const [xminBound, xmaxBound] = bounds ?? (pyLe(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = pySub(pyAdd(g1, g2), pyDiv(pyMul(3, pySub(f1, f2)), pySub(x1, x2)));
  // d1 ** 2: PyTorch squares a tensor as d1 * d1, the same bits.
  const d2Square = pySub(pyMul(d1, d1), pyMul(g1, g2));
  if (!pyGe(d2Square, 0)) return pyDiv(pyAdd(xminBound, xmaxBound), 2);
  const d2 = pySqrt(d2Square);
  const minPos = pyLe(x1, x2)
    ? pySub(x2, pyMul(pySub(x2, x1), pyDiv(pySub(pyAdd(g2, d2), d1), pyAdd(pySub(g2, g1), pyMul(2, d2)))))
    : pySub(x1, pyMul(pySub(x1, x2), pyDiv(pySub(pyAdd(g1, d2), d1), pyAdd(pySub(g1, g2), pyMul(2, d2)))));
  return pyMin(pyMax(minPos, xminBound), xmaxBound);
}

/**
 * A step size along `d` satisfying the strong Wolfe conditions (sufficient decrease `c1`, curvature `c2`): bracket
 * an interval that holds one, then zoom in on it by cubic interpolation, `maxLs` evaluations at most.
 */
export function strongWolfe(
  objFunc: DirectionalEvaluate,
  x: Tensor[],
  tInit: PyScalar,
  d: Tensor,
  f: number,
  gInit: Tensor,
  gtd: PyScalar,
  c1 = 1e-4,
  c2 = 0.9,
  toleranceChange = 1e-9,
  maxLs = 25,
): LineSearchResult {
  let t = tInit;
  const dNorm = d.abs().amax();
  const g = gInit.clone();
  let [fNew, gNew] = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew: PyScalar = gNew.mul(d).sum();

  // Bracket an interval containing a point satisfying the Wolfe criteria.
  let tPrev: PyScalar = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: PyScalar[] = [];
  let bracketF: number[] = [];
  let bracketG: Tensor[] = [];
  let bracketGtd: PyScalar[] = [];
  while (lsIter < maxLs) {
    if (pyGt(fNew, pyAdd(f, pyMul(pyMul(c1, t), gtd))) || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    if (pyLe(pyAbs(gtdNew), pyMul(-c2, gtd))) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (pyGe(gtdNew, 0)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew.clone()], [gtdPrev, gtdNew]];
      break;
    }
    // Interpolate, extrapolating at least 1% of the last step and at most 10 times it.
    const minStep = pyAdd(t, pyMul(0.01, pySub(t, tPrev)));
    const maxStep = pyMul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);

    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew.clone();
    gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.mul(d).sum();
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];
  }

  // Zoom: refine the bracket until a point satisfies the criteria.
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (pyLt(pyMul(pyAbs(pySub(bracket[1], bracket[0])), dNorm), toleranceChange)) break;

    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);

    // A trial point too close to an end of the bracket, twice in a row or at the end itself, moves to 10% of the
    // bracket's length away from the nearest end.
    const high = pyMax(bracket[0], bracket[1]);
    const low = pyMin(bracket[0], bracket[1]);
    const eps = pyMul(0.1, pySub(high, low));
    if (pyLt(pyMin(pySub(high, t), pySub(t, low)), eps)) {
      if (insufProgress || pyGe(t, high) || pyLe(t, low)) {
        t = pyLt(pyAbs(pySub(t, high)), pyAbs(pySub(t, low))) ? pySub(high, eps) : pyAdd(low, eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }

    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.mul(d).sum();
    lsIter += 1;

    if (pyGt(fNew, pyAdd(f, pyMul(pyMul(c1, t), gtd))) || fNew >= bracketF[lowPos]) {
      // Armijo condition not satisfied, or not lower than the lowest point.
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew.clone();
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (pyLe(pyAbs(gtdNew), pyMul(-c2, gtd))) {
        done = true;
      } else if (pyGe(pyMul(gtdNew, pySub(bracket[highPos], bracket[lowPos])), 0)) {
        // The old high becomes the new low.
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew.clone();
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return { loss: bracketF[lowPos], flatGrad: bracketG[lowPos], t: bracket[lowPos], funcEvals: lsFuncEvals };
}
