/**
 * The CTC forward-backward (Graves et al. 2006) on the host, as ATen's `ctc_loss_cpu_template` and
 * `ctc_loss_backward_cpu_template` compute it, step for step: log-space alphas over the target with blanks
 * interleaved (`l'`, length 2S+1), the negative log likelihood from the last two, then betas and the gradient
 * `exp(lp) - exp(log(sum alpha*beta over the states of each label) + nll - lp)`, which is the gradient with
 * respect to the logits under a log_softmax (PyTorch's choice, kept so gradients match its numbers).
 */

import { tensor, type Tensor } from '@descent/tensor';

/** One evaluation of the loss: the per-sample negative log likelihoods, and for backward the log_probs gradient. */
export interface CtcPass {
  readonly nll: Tensor;
  gradient(gradOutput: Tensor): Tensor;
}

/** `[T, N, C]` log probabilities and each sample's lengths and target labels. */
export interface CtcProblem {
  readonly logProbs: ArrayLike<number>;
  readonly time: number;
  readonly batch: number;
  readonly labels: number;
  readonly inputLengths: readonly number[];
  /** Each sample's target labels (its first `targetLengths[b]`). */
  readonly targets: readonly (readonly number[])[];
  readonly blank: number;
}

const NEG_INF = -Infinity;

/** `log(exp(a) + exp(b) + exp(c))` as ATen writes it: shifted by the largest, 0 when all are -inf. */
function logSumExp3(a: number, b: number, c: number): number {
  let max = Math.max(a, b, c);
  if (max === NEG_INF) max = 0;
  return Math.log(Math.exp(a - max) + Math.exp(b - max) + Math.exp(c - max)) + max;
}

/** The label at state s of l' (blank at even states). */
const prime = (target: readonly number[], s: number, blank: number): number => (s % 2 === 0 ? blank : target[(s - 1) / 2]);

const lp = (p: CtcProblem, t: number, b: number, c: number): number => p.logProbs[(t * p.batch + b) * p.labels + c];

/** Sample b's alphas, `[T][2S + 1]` (rows past its input length unused), and its negative log likelihood. */
export function ctcAlphas(p: CtcProblem, b: number): { alpha: Float64Array[]; nll: number } {
  const target = p.targets[b];
  const states = 2 * target.length + 1;
  const length = p.inputLengths[b];
  const alpha = Array.from({ length: Math.max(length, 1) }, () => new Float64Array(states).fill(NEG_INF));
  alpha[0][0] = lp(p, 0, b, p.blank);
  if (target.length > 0) alpha[0][1] = lp(p, 0, b, prime(target, 1, p.blank));
  for (let t = 1; t < length; t++) {
    for (let s = 0; s < states; s++) {
      const current = prime(target, s, p.blank);
      const la2 = s > 0 ? alpha[t - 1][s - 1] : NEG_INF;
      const la3 = s > 1 && prime(target, s - 2, p.blank) !== current ? alpha[t - 1][s - 2] : NEG_INF;
      alpha[t][s] = logSumExp3(alpha[t - 1][s], la2, la3) + lp(p, t, b, current);
    }
  }
  const last = alpha[Math.max(length - 1, 0)];
  const nll = target.length === 0 ? -last[0] : -logSumExp3(last[states - 1], last[states - 2], NEG_INF);
  return { alpha, nll };
}

/**
 * Sample b's gradient rows, `[T][C]` (zero past its input length), for upstream gradient `gr` and the forward's
 * `alpha` and `nll`; all zero for an infinite loss under `zeroInfinity`, as ATen's.
 */
export function ctcGradient(p: CtcProblem, b: number, alpha: Float64Array[], nll: number, gr: number, zeroInfinity: boolean): Float64Array[] {
  const grad = Array.from({ length: p.time }, () => new Float64Array(p.labels));
  if (zeroInfinity && nll === Infinity) return grad;
  const target = p.targets[b];
  const states = 2 * target.length + 1;
  const length = p.inputLengths[b];
  if (length === 0) return grad;
  // grad[t][c] first collects log(sum over states s with label c of alpha * beta), starting from -inf.
  for (let t = 0; t < length; t++) grad[t].fill(NEG_INF);
  let next = new Float64Array(states).fill(NEG_INF);
  const end = length - 1;
  next[states - 1] = lp(p, end, b, p.blank);
  grad[end][p.blank] = alpha[end][states - 1] + next[states - 1];
  if (target.length > 0) {
    const current = prime(target, states - 2, p.blank);
    next[states - 2] = lp(p, end, b, current);
    grad[end][current] = alpha[end][states - 2] + next[states - 2];
  }
  for (let t = length - 2; t >= 0; t--) {
    const beta = new Float64Array(states).fill(NEG_INF);
    for (let s = states - 1; s >= 0; s--) {
      const current = prime(target, s, p.blank);
      const lb2 = s < states - 1 ? next[s + 1] : NEG_INF;
      const lb3 = s < states - 2 && prime(target, s + 2, p.blank) !== current ? next[s + 2] : NEG_INF;
      beta[s] = logSumExp3(next[s], lb2, lb3) + lp(p, t, b, current);
      const logAlphaBeta = alpha[t][s] + beta[s];
      const lcab = grad[t][current];
      if (lcab === NEG_INF) grad[t][current] = logAlphaBeta;
      else {
        const max = Math.max(lcab, logAlphaBeta);
        grad[t][current] = Math.log(Math.exp(lcab - max) + Math.exp(logAlphaBeta - max)) + max;
      }
    }
    next = beta;
  }
  for (let t = 0; t < length; t++) {
    for (let c = 0; c < p.labels; c++) {
      const logProb = lp(p, t, b, c);
      grad[t][c] = (Math.exp(logProb) - Math.exp(grad[t][c] + nll - logProb)) * gr;
    }
  }
  return grad;
}

/** The host's array for a float dtype: float64 keeps its precision. */
const hostArray = (dtype: string) => (dtype === 'float64' ? Float64Array : Float32Array);

/** The pass on the host, as ATen's CPU kernel; its tensors on `like`'s device and of its dtype. */
export function ctcOnHost(p: CtcProblem, zeroInfinity: boolean, like: Tensor): CtcPass {
  const passes = Array.from({ length: p.batch }, (_, b) => ctcAlphas(p, b));
  const nll = new (hostArray(like.dtype))(p.batch);
  passes.forEach((pass, b) => (nll[b] = pass.nll));
  return {
    nll: tensor(nll, { dtype: like.dtype, device: like.device }),
    gradient: (gradOutput) => {
      const gr = Array.from(gradOutput.dataSync(), Number);
      const grad = new (hostArray(gradOutput.dtype))(p.time * p.batch * p.labels);
      passes.forEach(({ alpha, nll: loss }, b) => {
        ctcGradient(p, b, alpha, loss, gr[b], zeroInfinity).forEach((row, t) => grad.set(row, (t * p.batch + b) * p.labels));
      });
      return tensor(grad, { dtype: gradOutput.dtype, device: gradOutput.device }).reshape([p.time, p.batch, p.labels]);
    },
  };
}
