import { scalarTypeName } from '../dtype.js';
import { bindArgs, type ArgsThenOptions } from '../call-args.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { onesLike } from './creation.js';
import { cat } from './indexing.js';
import { norm } from './norms.js';
import { presentAs } from './present-as.js';

export type CdistComputeMode = 'use_mm_for_euclid_dist_if_necessary' | 'use_mm_for_euclid_dist' | 'donot_use_mm_for_euclid_dist';

export interface CdistOptions {
  p?: number;
  computeMode?: CdistComputeMode;
}

const MODES: readonly string[] = ['use_mm_for_euclid_dist_if_necessary', 'use_mm_for_euclid_dist', 'donot_use_mm_for_euclid_dist'];

/** ATen's `_euclidean_dist`: `-2 x1 x2ᵀ + |x1|² + |x2|²` as one matmul of padded rows, floored at 1e-30, square-rooted. */
function euclideanByMatmul(x1: Tensor, x2: Tensor): Tensor {
  const n1 = x1.pow(2).sum(-1, { keepdim: true });
  const n2 = x2.pow(2).sum(-1, { keepdim: true });
  const a = cat([x1.mul(-2), n1, onesLike(n1)], -1);
  const b = cat([x2, onesLike(n2), n2], -1);
  return a.matmul(b.transpose(-2, -1)).clamp(1e-30, null).sqrt();
}

/**
 * The p-norm distance between each row of `x1` (`[..., P, M]`) and each row of `x2` (`[..., R, M]`), `[..., P, R]`,
 * as `torch.cdist(x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary')`: for p = 2 with more than 25
 * rows on a side (or `use_mm_for_euclid_dist`) PyTorch's matmul form, else the norm of each difference.
 */
export function cdist(x1: Tensor, x2: Tensor, ...args: ArgsThenOptions<[p: number, computeMode: CdistComputeMode], CdistOptions>): Tensor {
  const o = bindArgs<CdistOptions>({ fn: 'cdist', required: 2, positional: ['p', 'computeMode'] }, args);
  const p = o.p ?? 2;
  const mode = o.computeMode ?? 'use_mm_for_euclid_dist_if_necessary';
  if (!MODES.includes(mode)) throw new Error(`${mode} is not a valid value for compute_mode`);
  for (const [x, name] of [[x1, 'X1'], [x2, 'X2']] as const) {
    if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new TypeError(`cdist only supports floating-point dtypes, ${name} got: ${scalarTypeName(x.dtype)}`);
  }
  if (!(p >= 0)) throw new RangeError('cdist only supports non-negative p values');
  for (const [x, name] of [[x1, 'X1'], [x2, 'X2']] as const) {
    if (x.ndim < 2) throw new RangeError(`cdist only supports at least 2D tensors, ${name} got: ${x.ndim}D`);
  }
  const m1 = x1.shape[x1.ndim - 1];
  const m2 = x2.shape[x2.ndim - 1];
  if (m1 !== m2) throw new RangeError(`X1 and X2 must have the same number of columns. X1: ${m1} X2: ${m2}`);
  const rows1 = x1.shape[x1.ndim - 2];
  const rows2 = x2.shape[x2.ndim - 2];
  const batch = broadcastShapes(x1.shape.slice(0, -2), x2.shape.slice(0, -2));
  const a = x1.expand([...batch, rows1, m1]);
  const b = x2.expand([...batch, rows2, m2]);
  const useMatmul = p === 2 && (mode === 'use_mm_for_euclid_dist' || (mode === 'use_mm_for_euclid_dist_if_necessary' && (rows1 > 25 || rows2 > 25)));
  // PyTorch's matmul form ends in a view of the batched result; the direct form is its own CdistBackward0.
  if (useMatmul) return presentAs(euclideanByMatmul(a, b), 'ViewBackward0', [x1, x2]);
  return presentAs(norm(a.unsqueeze(-2).sub(b.unsqueeze(-3)), p, -1), 'CdistBackward0', [x1, x2]);
}
