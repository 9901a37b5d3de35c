import type { AdamUpdate, SgdUpdate } from '@descent/backend';

/**
 * The oracle for the optional fused methods: the same math as the tensor layer composes from primitives, in plain
 * loops over `number[]` (float32 rounding op by op with `Math.fround` where PyTorch rounds).
 */

/** Results of an optional method's reference, each with a per-element error scale (see `Expectation.scale`). */
export interface ScaledValues {
  readonly values: number[];
  readonly scale: number[];
}

/**
 * Softmax (or log-softmax) over the last axis of row-major `values` of `shape`: `exp(x - max) / sum(exp(x - max))`,
 * or `x - max - log(sum)`. A NaN in a row, or a row whose max is infinite, gives NaN as PyTorch does. The scale is
 * the size of the terms: `x - max` is rounded to float32 before `exp`, so an element's error grows with `|x - max|`.
 */
export function softmaxReference(values: readonly number[], shape: readonly number[], log: boolean): ScaledValues {
  const length = shape.length === 0 ? 1 : shape[shape.length - 1];
  const out: number[] = [];
  const scale: number[] = [];
  for (let start = 0; start < values.length; start += length) {
    const row = values.slice(start, start + length);
    const max = row.some(Number.isNaN) ? NaN : Math.max(...row);
    const total = row.reduce((acc, x) => acc + Math.exp(x - max), 0);
    for (const x of row) {
      const shifted = x - max;
      out.push(Math.fround(log ? shifted - Math.log(total) : Math.exp(shifted) / total));
      const p = Math.exp(shifted) / total;
      scale.push(log ? Math.abs(shifted) + 1 : p === 0 ? 0 : p * (1 + Math.abs(shifted)));
    }
  }
  return { values: out, scale };
}

/**
 * Per-row cross-entropy of row-major `logits` [rows, classes] against class indices `target` [rows]:
 * `logsumexp(logits[r]) - logits[r, target[r]]` (no reduction: the tensor layer takes the mean or sum after).
 */
export function crossEntropyReference(logits: readonly number[], classes: number, target: readonly number[]): ScaledValues {
  const values: number[] = [];
  const scale: number[] = [];
  target.forEach((t, r) => {
    const row = logits.slice(r * classes, (r + 1) * classes);
    const max = row.some(Number.isNaN) ? NaN : Math.max(...row);
    const logTotal = Math.log(row.reduce((acc, x) => acc + Math.exp(x - max), 0));
    values.push(Math.fround(logTotal + max - row[t]));
    scale.push(Math.abs(logTotal) + Math.abs(max) + Math.abs(row[t]) + 1);
  });
  return { values, scale };
}

export interface SgdReferenceState {
  param: number[];
  /** null without momentum. */
  momentumBuffer: number[] | null;
}

/** The spec's own type: the oracle takes exactly what the backend method takes. */
export type SgdReferenceHyperparameters = SgdUpdate;

const f = Math.fround;

/** The largest magnitude among the terms an element went through, its rounding error's scale. */
function grow(scale: number[], i: number, ...terms: number[]): void {
  for (const t of terms) if (Math.abs(t) > scale[i]) scale[i] = Math.abs(t);
}

/**
 * One step of PyTorch 1.13's `_single_tensor_sgd`, op by op in float32 as the composed path runs it: `d_p` is the
 * gradient (negated with `maximize`) plus `weightDecay * param`; with momentum the buffer becomes `d_p` on the
 * first step and `momentum * buf + (1 - dampening) * d_p` after; Nesterov adds `momentum * buf` to `d_p`; then
 * `param -= lr * d_p`. Updates `state` in place; `scale` (per element) grows with the terms seen.
 */
export function sgdReference(state: SgdReferenceState, grad: readonly number[], h: SgdReferenceHyperparameters, scale: number[]): void {
  const { param, momentumBuffer: buf } = state;
  for (let i = 0; i < param.length; i++) {
    let g = h.maximize ? -grad[i] : grad[i];
    if (h.weightDecay !== 0) g = f(g + f(f(h.weightDecay) * param[i]));
    grow(scale, i, g, param[i]);
    if (buf) {
      const b = h.firstStep ? g : f(f(f(h.momentum) * buf[i]) + f(f(1 - h.dampening) * g));
      grow(scale, i, b, f(h.momentum) * buf[i]);
      buf[i] = b;
      g = h.nesterov ? f(g + f(f(h.momentum) * b)) : b;
    }
    const delta = f(f(h.lr) * g);
    param[i] = f(param[i] - delta);
    grow(scale, i, delta, param[i]);
  }
}

export interface AdamReferenceState {
  param: number[];
  expAvg: number[];
  expAvgSq: number[];
  /** Present with amsgrad. */
  maxExpAvgSq: number[] | null;
}

export type AdamReferenceHyperparameters = AdamUpdate;

/**
 * One step of PyTorch 1.13's `_single_tensor_adam` (or `_single_tensor_adamw` when `decoupled`), op by op in
 * float32: the moments `m = beta1 * m + (1 - beta1) * g` and `v = beta2 * v + (1 - beta2) * g * g`, amsgrad's
 * running max of `v`, `denom = sqrt(v) / sqrt(1 - beta2^step) + eps` and `param -= lr / (1 - beta1^step) * m / denom`.
 */
export function adamReference(state: AdamReferenceState, grad: readonly number[], h: AdamReferenceHyperparameters, scale: number[]): void {
  const { param, expAvg, expAvgSq, maxExpAvgSq } = state;
  const [beta1, beta2] = [f(h.beta1), f(h.beta2)];
  const stepSize = h.lr / (1 - h.beta1 ** h.step);
  const biasCorrection2Sqrt = Math.sqrt(1 - h.beta2 ** h.step);
  for (let i = 0; i < param.length; i++) {
    let g = h.maximize ? -grad[i] : grad[i];
    grow(scale, i, g, param[i]);
    if (h.decoupled) param[i] = f(param[i] * f(1 - h.lr * h.weightDecay));
    else if (h.weightDecay !== 0) g = f(g + f(f(h.weightDecay) * param[i]));
    grow(scale, i, g, expAvg[i], expAvgSq[i]);
    expAvg[i] = f(f(expAvg[i] * beta1) + f(f(1 - h.beta1) * g));
    expAvgSq[i] = f(f(expAvgSq[i] * beta2) + f(f(f(1 - h.beta2) * g) * g));
    let second = expAvgSq[i];
    if (h.amsgrad && maxExpAvgSq) second = maxExpAvgSq[i] = Math.max(maxExpAvgSq[i], second);
    const denom = f(f(f(Math.sqrt(second)) / f(biasCorrection2Sqrt)) + f(h.eps));
    const delta = f(f(-stepSize) * f(expAvg[i] / denom));
    grow(scale, i, expAvg[i], expAvgSq[i], second, delta, param[i]);
    param[i] = f(param[i] + delta);
  }
}
