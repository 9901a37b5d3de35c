import { isFloating, scalarTypeName } from '../dtype.js';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange, full } from './creation.js';
import { cat, gather, where } from './indexing.js';
import { ValuesIndices } from './reduction.js';
import { logaddexp } from './special-math.js';
import { presentAs } from './present-as.js';

// Running extremes and log-sum-exp along a dim, each an inclusive Hillis-Steele scan (log2(n) steps of narrow,
// cat and where) of an associative combine, so they run on every backend and need no gradient rule.

/** `y[i] = combine(y[i - step], y[i])` for step = 1, 2, 4, ...; `pad` fills the places before the start. */
function scan<S extends Tensor[]>(state: S, dim: number, pad: (shape: number[], i: number) => Tensor, combine: (earlier: S, later: S) => S): S {
  const n = state[0].shape[dim];
  let y = state;
  for (let step = 1; step < n; step *= 2) {
    const shape = state[0].shape.map((s, i) => (i === dim ? step : s));
    const earlier = y.map((t, i) => cat([pad(shape, i), t.narrow(dim, 0, n - step)], dim)) as S;
    y = combine(earlier, y);
  }
  return y;
}

/**
 * PyTorch's `cummax`/`cummin` loop keeps the later element on ties and once it meets NaN keeps NaN (the latest
 * NaN's index): the scan picks, of two runs, the later one's winner unless the earlier one's is strictly better.
 */
function runningExtremum(x: Tensor, dim: number, kind: 'max' | 'min'): ValuesIndices {
  if (x.ndim === 0) return new ValuesIndices(x.clone(), full([], 0, { dtype: 'int64', device: x.device }), `cum${kind}`);
  const d = normalizeDim(dim, x.ndim);
  const n = x.shape[d];
  const positions = arange(n, { dtype: 'int64', device: x.device }).reshape(x.shape.map((s, i) => (i === d ? s : 1))).expand(x.shape);
  const pad = (shape: number[], i: number): Tensor => (i === 0 ? full(shape, 0, { dtype: x.dtype, device: x.device }) : full(shape, -1, { dtype: 'int64', device: x.device }));
  const [, indices] = scan([x.detach(), positions.contiguous()], d, pad, ([v0, i0], [v1, i1]) => {
    const better = kind === 'max' ? v1.ge(v0) : v1.le(v0);
    const nan1 = v1.isnan();
    const takeLater = i0.lt(0).logicalOr(nan1).logicalOr(v0.isnan().logicalNot().logicalAnd(better));
    return [where(takeLater, v1, v0), where(takeLater, i1, i0)];
  });
  return new ValuesIndices(gather(x, d, indices), indices, `cum${kind}`);
}

/** `torch.cummax(x, dim)`: running maxima and their indices, `{ values, indices }`. */
export function cummax(x: Tensor, dim: number): ValuesIndices {
  const { values, indices } = runningExtremum(x, dim, 'max');
  return new ValuesIndices(presentAs(values, 'CummaxBackward0', [x]), indices, 'cummax');
}

/** `torch.cummin(x, dim)`: running minima and their indices, `{ values, indices }`. */
export function cummin(x: Tensor, dim: number): ValuesIndices {
  const { values, indices } = runningExtremum(x, dim, 'min');
  return new ValuesIndices(presentAs(values, 'CumminBackward0', [x]), indices, 'cummin');
}

/** `torch.logcumsumexp(x, dim)`: `log(cumsum(exp(x)))` without overflow, as a scan of logaddexp. */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`"logcumsumexp_out_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (x.ndim === 0) return presentAs(x.clone(), 'LogcumsumexpBackward0', [x]);
  const d = normalizeDim(dim, x.ndim);
  const pad = (shape: number[]): Tensor => full(shape, -Infinity, { dtype: x.dtype, device: x.device });
  return presentAs(scan([x], d, pad, ([a], [b]) => [logaddexp(a, b)])[0], 'LogcumsumexpBackward0', [x]);
}
