import { broadcastShapes, presentAs, tensor, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';

export interface CosineSimilarityOptions {
  dim?: number;
  eps?: number;
}

export interface PairwiseDistanceOptions {
  p?: number;
  eps?: number;
  keepdim?: boolean;
}

/**
 * `min` in the forward pass and the identity in the backward pass: PyTorch clamps some denominators in place
 * under `no_grad`, so the clamp is invisible to autograd. (x - x) is exactly 0, so the value is the clamp's.
 */
export function clampMinUntracked(x: Tensor, min: number): Tensor {
  return x.sub(x.detach()).add(x.detach().clamp(min, null));
}

/**
 * `<x1, x2> / (||x1|| ||x2||)` along `dim` after broadcasting, as `F.cosine_similarity(x1, x2, dim=1, eps=1e-8)`.
 * As PyTorch 1.13: each vector is divided by its own norm first, each squared norm floored at `eps^2`.
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  ...args: ArgsThenOptions<[dim: number, eps: number], CosineSimilarityOptions>
): Tensor {
  const { dim = 1, eps = 1e-8 } = bindArgs<CosineSimilarityOptions>({ fn: 'cosine_similarity', required: 2, positional: ['dim', 'eps'] }, args);
  const shape = broadcastShapes(x1.shape, x2.shape);
  const [a, b] = [x1.expand(shape), x2.expand(shape)];
  const normA = clampMinUntracked(a.mul(a).sum(dim, { keepdim: true }), eps * eps).sqrt();
  const normB = clampMinUntracked(b.mul(b).sum(dim, { keepdim: true }), eps * eps).sqrt();
  return a.div(normA).mul(b.div(normB)).sum(dim);
}

/** The p-norm of `x1 - x2 + eps` over the last dim, as `F.pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False)`. */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  ...args: ArgsThenOptions<[p: number, eps: number, keepdim: boolean], PairwiseDistanceOptions>
): Tensor {
  const o = bindArgs<PairwiseDistanceOptions>({ fn: 'pairwise_distance', required: 2, positional: ['p', 'eps', 'keepdim'] }, args);
  const { p = 2, eps = 1e-6, keepdim = false } = o;
  const dim = Math.max(x1.ndim, x2.ndim) - 1;
  return x1.sub(x2).add(eps).norm(p, dim, { keepdim });
}

/**
 * The p-norm distance between every pair of rows of `[N, M]` input, `[N (N - 1) / 2]` in row-major order of the
 * upper triangle (pairs (0, 1), (0, 2), ..., (1, 2), ...), as `F.pdist(input, p=2)`.
 */
export function pdist(input: Tensor, p: number | { p?: number } = 2): Tensor {
  const order = bindArgs<{ p?: number }>({ fn: 'pdist', required: 0, positional: ['p'] }, [p]).p ?? 2;
  if (input.ndim !== 2) throw new RangeError(`pdist only supports 2D tensors, got: ${input.ndim}D`);
  if (!(order >= 0)) throw new RangeError('pdist only supports non-negative p values');
  const n = input.shape[0];
  const count = (n * (n - 1)) / 2;
  const [first, second] = [new Int32Array(count), new Int32Array(count)];
  for (let i = 0, k = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++, k++) [first[k], second[k]] = [i, j];
  }
  const rows = (index: Int32Array) => input.indexSelect(0, tensor(index, { dtype: 'int64', device: input.device }));
  return presentAs(rows(first).sub(rows(second)).norm(order, 1), 'PdistBackward0', [input]);
}
