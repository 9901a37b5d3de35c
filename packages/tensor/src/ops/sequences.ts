import { checkOptionKeys } from '../options.js';
import { keywordArgs } from '../options.js';
import type { DType } from '@descent/backend';
import { normalizeDim } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { DeviceLike } from '../device.js';
import { pow } from './arithmetic.js';
import { nonzero } from './advanced-indexing.js';
import { linspace } from './creation.js';
import { cat, stack } from './indexing.js';
import { sum } from './reduction.js';
import { meshgrid } from './reshaping.js';
import { narrow, reshape } from './views.js';
import { isTensor } from './misc.js';
import { presentAs } from './present-as.js';

// Differences, counts and generated sequences: diff, count_nonzero, argwhere, logspace, cartesian_prod, and the
// trapezoidal rule over samples (trapezoid, cumulative_trapezoid).

export interface DiffOptions {
  prepend?: Tensor;
  append?: Tensor;
}

/** `torch.diff(x, n=1, dim=-1, prepend=None, append=None)`: `n`-th forward differences (xor for bool). */
export function diff(x: Tensor, nOr: number | (DiffOptions & { n?: number; dim?: number }) = 1, dimGiven = -1, given: DiffOptions = {}): Tensor {
  // `torch.diff(x, n=2, dim=0)` written `torch.diff(x, { n: 2, dim: 0 })`.
  const keywords = keywordArgs('diff', nOr, ['n', 'dim', 'prepend', 'append']);
  const n = (keywords === null ? nOr : (keywords.n ?? 1)) as number;
  const dim = (keywords === null ? dimGiven : (keywords.dim ?? -1)) as number;
  const options = (keywords === null ? given : { prepend: keywords.prepend, append: keywords.append }) as DiffOptions;
  checkOptionKeys('diff', options, ['prepend', 'append']);
  if (x.ndim === 0) throw new RangeError('diff expects input to be at least one-dimensional');
  const d = normalizeDim(dim, x.ndim);
  const parts = [options.prepend, x, options.append].filter((t): t is Tensor => t !== undefined);
  let out = parts.length > 1 ? cat(parts, d) : x;
  for (let i = 0; i < n && out.shape[d] > 0; i++) {
    const len = out.shape[d] - 1;
    const [later, earlier] = [narrow(out, d, 1, len), narrow(out, d, 0, len)];
    out = out.dtype === 'bool' ? later.ne(earlier) : later.sub(earlier);
  }
  return out;
}

/** `torch.count_nonzero(x, dim=None)`: int64 counts of nonzero elements. */
export const countNonzero = (x: Tensor, dim?: number | readonly number[]): Tensor => sum(x.ne(0), dim);

/** `torch.argwhere(x)`: the indices of nonzero elements, one row each (`nonzero`). */
export const argwhere = (x: Tensor): Tensor => nonzero(x);

export interface LogspaceOptions {
  dtype?: DType;
  device?: DeviceLike;
  requiresGrad?: boolean;
}

/** `torch.logspace(start, end, steps, base=10)`: `base ** linspace(start, end, steps)`. */
export function logspace(start: number, end: number, steps: number, base = 10, options: LogspaceOptions = {}): Tensor {
  checkOptionKeys('logspace', options, ['dtype', 'device', 'requiresGrad']);
  const dtype = options.dtype ?? 'float32';
  const work = dtype === 'float64' ? 'float64' : 'float32';
  const out = pow(base, linspace(start, end, steps, { dtype: work, device: options.device })).to(dtype);
  return options.requiresGrad ? out.requiresGrad_() : out;
}

/** `torch.cartesian_prod(*tensors)`: every combination of the 1-D inputs' elements, one row each. */
export function cartesianProd(...tensors: Tensor[]): Tensor {
  for (const t of tensors) {
    if (t.ndim !== 1) throw new RangeError(`Expect a 1D vector, but got shape [${t.shape.join(', ')}]`);
  }
  if (tensors.length === 1) return tensors[0];
  return stack(meshgrid(tensors, { indexing: 'ij' }).map((g) => reshape(g, [-1])), 1);
}

export interface TrapezoidOptions {
  dx?: number | null;
  dim?: number;
}

/** The spacing of the samples along `dim`: a number, or x's differences shaped to broadcast against y's pairs. */
function spacing(name: string, y: Tensor, x: Tensor | null, dx: number, d: number): Tensor | number {
  if (x === null) return dx;
  const n = x.ndim === 1 ? x.shape[0] : x.shape[normalizeDim(d - y.ndim, x.ndim)];
  if (n !== y.shape[d]) throw new RangeError(`${name}: There must be one \`x\` value for each sample point`);
  if (x.ndim !== 1) return diff(x, 1, d - y.ndim);
  return reshape(diff(x), y.shape.map((s, i) => (i === d ? s - 1 : 1)));
}

/** `y[1:] + y[:-1]` along `dim`: the sums of neighbouring samples. */
const pairSums = (y: Tensor, d: number): Tensor => narrow(y, d, 1, y.shape[d] - 1).add(narrow(y, d, 0, y.shape[d] - 1));

/**
 * `torch.trapezoid(y, x=None, *, dx=None, dim=-1)` (`torch.trapz`): the integral of the samples by the trapezoidal
 * rule, with sample points `x` or a constant spacing `dx` (1), in PyTorch's two formulas.
 */
export function trapezoid(y: Tensor, xOr: Tensor | TrapezoidOptions | null = null, given: TrapezoidOptions = {}): Tensor {
  const [x, options] = xOr === null || isTensor(xOr) ? [xOr, given] : [null, xOr];
  checkOptionKeys('trapezoid', options, ['dx', 'dim']);
  const d = normalizeDim(options.dim ?? -1, y.ndim);
  if (y.shape[d] === 0) return sum(y, d).mul(0);
  const step = spacing('trapezoid', y, x, options.dx ?? 1, d);
  if (typeof step === 'number') {
    // (sum(y) - (y[0] + y[-1]) / 2) dx, as PyTorch computes the constant-spacing rule.
    const ends = y.select(d, 0).add(y.select(d, -1)).mul(0.5);
    // PyTorch multiplies and divides by Python numbers: MulBackward1, DivBackward1.
    return presentAs(sum(y, d).sub(ends).mul(step), 'MulBackward1', [y]);
  }
  return presentAs(sum(step.mul(pairSums(y, d)), d).div(2), 'DivBackward1', [y, x]);
}

/** `torch.cumulative_trapezoid(y, x=None, *, dx=None, dim=-1)`: the running trapezoidal integrals (one fewer). */
export function cumulativeTrapezoid(y: Tensor, xOr: Tensor | TrapezoidOptions | null = null, given: TrapezoidOptions = {}): Tensor {
  const [x, options] = xOr === null || isTensor(xOr) ? [xOr, given] : [null, xOr];
  checkOptionKeys('cumulative_trapezoid', options, ['dx', 'dim']);
  const d = normalizeDim(options.dim ?? -1, y.ndim);
  const step = spacing('cumulative_trapezoid', y, x, options.dx ?? 1, d);
  if (typeof step === 'number') return pairSums(y, d).mul(step / 2).cumsum(d);
  return presentAs(step.mul(pairSums(y, d)).cumsum(d).div(2), 'DivBackward1', [y, x]);
}
