import { cat, full, scatterAddZeros, stack, tensor, where, type Device, type Tensor } from '@descent/tensor';
import type { CtcPass } from './ctc-alignment.js';

/**
 * The CTC forward-backward of ctc-alignment.ts as tensor ops, for devices whose memory the host cannot read
 * synchronously (WebGPU): the same recursions over the extended target `l'` (blanks interleaved, `[N, 2S + 1]`),
 * all samples at once, one time step per iteration. Only the lengths (host arrays) decide the masks. The sum of
 * alpha * beta over the states of each label is taken in log space shifted by its step's largest state, where ATen
 * shifts by the label's own: the two agree unless a label's states lie ~87 nats below the step's best (float32's
 * exp range), where this gives that label no weight.
 */

const NEG_INF = -Infinity;

/** ATen's three-way log-sum-exp: shifted by the largest, and by 0 when all are -inf (no -inf - -inf). */
function logSumExp3(a: Tensor, b: Tensor, c: Tensor): Tensor {
  const max = a.maximum(b).maximum(c);
  const shift = where(max.isneginf(), 0, max);
  return a.sub(shift).exp().add(b.sub(shift).exp()).add(c.sub(shift).exp()).log().add(shift);
}

/** `x` moved `k` states right (`left`: false) or left along dim 1, -inf (or `fill`) where nothing comes in. */
function shift(x: Tensor, k: number, left: boolean, fill: number | boolean = NEG_INF): Tensor {
  const [n, states] = x.shape;
  const pad = full([n, Math.min(k, states)], fill, { dtype: x.dtype, device: x.device });
  if (k >= states) return pad;
  return left ? cat([x.narrow(1, k, states - k), pad], 1) : cat([pad, x.narrow(1, 0, states - k)], 1);
}

/** A host-built `[N, L]` (or `[N, 1]`) boolean mask on the device. */
const mask = (device: Device, rows: number, cols: number, at: (b: number, s: number) => boolean): Tensor =>
  tensor(Array.from({ length: rows * cols }, (_, i) => at(Math.floor(i / cols), i % cols)), { dtype: 'bool', device }).reshape([rows, cols]);

/**
 * The pass over `lp` (`[T, N, C]`, detached) for `targets` padded to `[N, S]` on its device: the per-sample negative
 * log likelihoods and ATen's gradient `exp(lp) - exp(log(sum alpha*beta) + nll - lp)` per upstream gradient.
 */
export function ctcOnDevice(lp: Tensor, targets: Tensor, inputLengths: number[], targetLengths: number[], blank: number, zeroInfinity: boolean): CtcPass {
  const [time, batch, labels] = lp.shape;
  const device = lp.device;
  const longest = targets.shape[1];
  const states = 2 * longest + 1;
  const blanks = full([batch, longest], blank, { dtype: 'int64', device });
  const extended = cat([stack([blanks, targets], 2).reshape([batch, 2 * longest]), full([batch, 1], blank, { dtype: 'int64', device })], 1);
  // A state may be reached from two back when its label differs from that state's (never for blanks).
  const skip = extended.ne(shift(extended, 2, false, -1)).logicalAnd(mask(device, batch, states, (_, s) => s > 1));
  const skipBack = shift(skip, 2, true, false);
  const valid = mask(device, batch, states, (b, s) => s < 2 * targetLengths[b] + 1);
  const emit = lp.gather(2, extended.unsqueeze(0).expand([time, batch, states])); // [T, N, L]
  const none = full([batch, states], NEG_INF, { dtype: lp.dtype, device });

  const alphas = [where(mask(device, batch, states, (b, s) => s === 0 || (s === 1 && targetLengths[b] > 0)), emit.select(0, 0), NEG_INF)];
  for (let t = 1; t < time; t++) {
    const a = alphas[t - 1];
    const next = logSumExp3(a, shift(a, 1, false), where(skip, shift(a, 2, false), NEG_INF)).add(emit.select(0, t));
    alphas.push(where(valid, next, none));
  }
  const alpha = stack(alphas, 0); // [T, N, L]
  const lastStep = tensor(inputLengths.map((n) => Math.max(n - 1, 0)), { dtype: 'int64', device });
  const atLast = (x: Tensor) => x.gather(0, lastStep.reshape([1, batch, 1]).expand([1, batch, states])).squeeze(0); // [N, L]
  const final = atLast(alpha);
  const endState = (offset: number) => tensor(targetLengths.map((n) => Math.max(2 * n + offset, 0)), { dtype: 'int64', device }).reshape([batch, 1]);
  const hasTarget = mask(device, batch, 1, (b) => targetLengths[b] > 0);
  const likelihood = logSumExp3(final.gather(1, endState(0)), where(hasTarget, final.gather(1, endState(-1)), NEG_INF), none.narrow(1, 0, 1));
  const nll = likelihood.neg().reshape([batch]);

  const gradient = (gradOutput: Tensor): Tensor => {
    const start = where(mask(device, batch, states, (b, s) => s === 2 * targetLengths[b] || (s === 2 * targetLengths[b] - 1 && targetLengths[b] > 0)), atLast(emit), NEG_INF);
    let beta = none;
    const products: Tensor[] = new Array<Tensor>(time);
    for (let t = time - 1; t >= 0; t--) {
      const back = logSumExp3(beta, shift(beta, 1, true), where(skipBack, shift(beta, 2, true), NEG_INF)).add(emit.select(0, t));
      const isLast = mask(device, batch, 1, (b) => t === inputLengths[b] - 1);
      const before = mask(device, batch, 1, (b) => t < inputLengths[b] - 1);
      beta = where(isLast, start, where(before.logicalAnd(valid), back, NEG_INF));
      products[t] = alpha.select(0, t).add(beta);
    }
    const ab = stack(products, 0); // [T, N, L]: log(alpha * beta) per state
    const top = ab.amax(2, { keepdim: true });
    const offset = where(top.isneginf(), 0, top);
    const perLabel = scatterAddZeros([time, batch, labels], 2, extended.unsqueeze(0).expand([time, batch, states]), ab.sub(offset).exp()).log().add(offset);
    const upstream = gradOutput.reshape([1, batch, 1]);
    const nll3 = nll.reshape([1, batch, 1]);
    let grad = lp.exp().sub(perLabel.add(nll3).sub(lp).exp()).mul(upstream);
    // Steps past a sample's input length get no gradient.
    grad = where(mask(device, time, batch, (t, b) => t < inputLengths[b]).unsqueeze(2), grad, 0);
    return zeroInfinity ? where(nll3.eq(Infinity), 0, grad) : grad;
  };
  return { nll, gradient };
}
