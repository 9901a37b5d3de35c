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

// Differences, counts and generated sequences: diff, count_nonzero, argwhere, logspace, cartesian_prod.

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
