import { cat, enableGrad, isTensor, noGrad, zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { Optimizer, type ParamsInput } from './optimizer.js';
import { optimizerOptions } from './options.js';
import { pyDiv, pyFloat, pyGt, pyLe, pyMin, pyMul, type PyScalar } from './python-scalar.js';
import { strongWolfe } from './strong-wolfe.js';

export interface LBFGSHyperparameters {
  lr: number;
  /** Iterations per `step()`. */
  maxIter: number;
  /** Loss evaluations per `step()`; defaults to `floor(maxIter * 5 / 4)`. */
  maxEval: number;
  /** Stop when no gradient entry exceeds this in magnitude. */
  toleranceGrad: number;
  /** Stop when the loss or the step changes less than this. */
  toleranceChange: number;
  /** How many past updates approximate the inverse Hessian. */
  historySize: number;
  /** `'strong_wolfe'` for a line search; `null` (the default) for fixed steps of `lr`. */
  lineSearchFn: 'strong_wolfe' | null;
}

/** `maxEval: null` is its default, as PyTorch's `max_eval=None`. */
export type LBFGSOptions = Partial<Omit<LBFGSHyperparameters, 'maxEval'>> & { maxEval?: number | null };

type LBFGSArgs = [
  lr: number,
  maxIter: number,
  maxEval: number | null,
  toleranceGrad: number,
  toleranceChange: number,
  historySize: number,
  lineSearchFn: 'strong_wolfe' | null,
];
const LBFGS_POSITIONAL = ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'] as const;

/**
 * LBFGS keeps one global state, stored (as PyTorch does) under the first parameter. Scalars that are tensors in
 * PyTorch (`ro`, `HDiag`, `al`, and `t` when it came from the gradient's norm) are 0-d float32 tensors here too.
 */
export interface LBFGSState {
  funcEvals: number;
  nIter: number;
  al?: (Tensor | null)[];
  /** The last search direction and step size. */
  d?: Tensor;
  t?: PyScalar;
  /** The history: gradient differences `y`, steps `s` and `1 / (y·s)`. */
  oldDirs?: Tensor[];
  oldStps?: Tensor[];
  ro?: Tensor[];
  /** Scale of the initial inverse Hessian approximation. */
  HDiag?: Tensor | number;
  prevFlatGrad?: Tensor | null;
  prevLoss?: number;
}

/**
 * L-BFGS, as `torch.optim.LBFGS` (PyTorch 1.13, after minFunc): `step(closure)` runs up to `maxIter` iterations, each
 * calling `closure` (zeroGrad, forward, backward, return the loss) to re-evaluate the model. One parameter group
 * only. Defaults: lr 1, maxIter 20, maxEval maxIter * 5 / 4, toleranceGrad 1e-7, toleranceChange 1e-9,
 * historySize 100, lineSearchFn null.
 */
export class LBFGS extends Optimizer<LBFGSHyperparameters, LBFGSState> {
  private readonly params: Tensor[];

  constructor(params: ParamsInput<LBFGSHyperparameters>, ...args: ArgsThenOptions<LBFGSArgs, LBFGSOptions>) {
    const given = optimizerOptions<LBFGSOptions>('LBFGS', args, LBFGS_POSITIONAL);
    const { lr = 1, maxIter = 20, toleranceGrad = 1e-7, toleranceChange = 1e-9, historySize = 100, lineSearchFn = null } = given;
    const maxEval = given.maxEval ?? Math.floor((maxIter * 5) / 4);
    super(params, { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn });
    if (this.paramGroups.length !== 1) throw new RangeError("LBFGS doesn't support per-parameter options (parameter groups)");
    this.params = this.paramGroups[0].params;
  }

  /** Runs up to `maxIter` iterations; returns what the first call of `closure` returned (the loss before the step). */
  override step<L = Tensor>(closure?: () => L): L | null {
    if (typeof closure !== 'function') throw new TypeError("LBFGS.step() missing 1 required positional argument: 'closure'");
    const evaluate = (): number => toFloat(enableGrad(closure));
    return noGrad(() => {
      const origLoss = enableGrad(closure);
      this.iterate(toFloat(origLoss), evaluate);
      return origLoss;
    });
  }

  private iterate(initialLoss: number, closure: () => number): void {
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    const state: LBFGSState = this.state.get(this.params[0]) ?? { funcEvals: 0, nIter: 0 };
    this.state.set(this.params[0], state);

    let loss = initialLoss;
    let currentEvals = 1;
    state.funcEvals += 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = pyLe(flatGrad.abs().amax(), toleranceGrad);
    if (optCond) return;

    let { d, t, oldDirs = [], oldStps = [], ro = [], HDiag = 1, prevFlatGrad = null, prevLoss } = state;
    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.nIter += 1;

      // The descent direction: the gradient's negative at first, then the L-BFGS two-loop recursion.
      if (state.nIter === 1) {
        d = flatGrad.neg();
        [oldDirs, oldStps, ro, HDiag] = [[], [], [], 1];
      } else {
        if (d === undefined || t === undefined || prevFlatGrad === null) {
          throw new Error('LBFGS state lacks the last direction, step or gradient: load a complete stateDict()');
        }
        const y = flatGrad.sub(prevFlatGrad);
        const s = d.mul(pyFloat(t));
        const ys = y.mul(s).sum();
        if (pyGt(ys, 1e-10)) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(pyDiv(1, ys) as Tensor);
          HDiag = ys.div(y.mul(y).sum());
        }
        const numOld = oldDirs.length;
        state.al ??= new Array<Tensor | null>(historySize).fill(null);
        const al = state.al;
        const alphas: Tensor[] = [];
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          alphas[i] = al[i] = oldStps[i].mul(q).sum().mul(ro[i]);
          q.add_(oldDirs[i], { alpha: -pyFloat(alphas[i]) });
        }
        const r = q.mul(HDiag);
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = oldDirs[i].mul(r).sum().mul(ro[i]);
          r.add_(oldStps[i], { alpha: pyFloat(alphas[i].sub(beI)) });
        }
      }
      if (prevFlatGrad === null) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // The step length: scaled down by the gradient's size on the very first iteration.
      t = state.nIter === 1 ? pyMul(pyMin(1, pyDiv(1, flatGrad.abs().sum())), lr) : lr;
      const gtd = flatGrad.mul(d).sum();
      if (pyGt(gtd, -toleranceChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null) {
        if (lineSearchFn !== 'strong_wolfe') throw new Error("only 'strong_wolfe' is supported");
        const xInit = this.params.map((p) => p.clone());
        const result = strongWolfe((x, step, dir) => this.directionalEvaluate(closure, x, step, dir), xInit, t, d, loss, flatGrad, gtd);
        ({ loss, flatGrad, t, funcEvals: lsFuncEvals } = result);
        this.addGrad(t, d);
        optCond = pyLe(flatGrad.abs().amax(), toleranceGrad);
      } else {
        this.addGrad(t, d);
        // No re-evaluation after the last iteration: in a stochastic setting it would be wasted.
        if (nIter !== maxIter) {
          loss = closure();
          flatGrad = this.gatherFlatGrad();
          optCond = pyLe(flatGrad.abs().amax(), toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.funcEvals += lsFuncEvals;

      if (nIter === maxIter || currentEvals >= maxEval || optCond) break;
      // Lack of progress.
      if (pyLe(d.mul(pyFloat(t)).abs().amax(), toleranceChange)) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    Object.assign(state, { d, t, oldDirs, oldStps, ro, HDiag, prevFlatGrad, prevLoss });
    this.state.set(this.params[0], state);
  }

  /** All gradients as one vector (zeros for a parameter without one). */
  private gatherFlatGrad(): Tensor {
    const views = this.params.map((p) =>
      p.grad === null ? zeros([p.numel()], { dtype: p.dtype, device: p.device }) : p.grad.reshape(-1),
    );
    return cat(views, 0);
  }

  /** Moves the parameters by `stepSize * update`, `update` being one vector over all of them. */
  private addGrad(stepSize: PyScalar, update: Tensor): void {
    const alpha = pyFloat(stepSize);
    let offset = 0;
    for (const p of this.params) {
      const numel = p.numel();
      p.add_(update.narrow(0, offset, numel).viewAs(p), { alpha });
      offset += numel;
    }
  }

  private directionalEvaluate(closure: () => number, x: Tensor[], t: PyScalar, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = closure();
    const flatGrad = this.gatherFlatGrad();
    this.params.forEach((p, i) => p.copy_(x[i]));
    return [loss, flatGrad];
  }
}

/** Python's `float(closure())`: a loss tensor's value, or a number as is. */
function toFloat(loss: unknown): number {
  return isTensor(loss) ? loss.item() : Number(loss);
}
