import { isFloating, scalarTypeName } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import { splitDim, type DimOr } from '../options.js';
import { formatShape, normalizeDim, normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { where } from './indexing.js';
import { matmul } from './linalg.js';
import { amax, amin, sum, type Dims } from './reduction.js';
import { presentAs } from './present-as.js';
import { svdvalsOver } from './linalg-spectral.js';

/** The inner product of two 1-D tensors of the same size, as `torch.dot`. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(
      `inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`,
    );
  }
  return matmul(a, b);
}

/** `a[i] * b[j]` for 1-D `a` and `b`, as `torch.outer`. */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`outer: expected 1D tensors, got ${a.ndim}D and ${b.ndim}D`);
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}

export type NormOrder = number | 'fro' | 'nuc';

export interface NormOptions {
  keepdim?: boolean;
}

/**
 * `s ** (1 / p)` that is 0 where `s` is 0 with a zero gradient there (PyTorch's norm backward masks the zero norm),
 * not the NaN that differentiating the root at 0 would give.
 */
function rootOrZero(s: Tensor, p: number): Tensor {
  const zero = s.eq(0);
  const safe = where(zero, full([], 1, { dtype: s.dtype, device: s.device }), s);
  const root = p === 2 ? safe.sqrt() : safe.pow(1 / p);
  return where(zero, full([], 0, { dtype: s.dtype, device: s.device }), root);
}

/**
 * `torch.norm(input, p='fro', dim=None, keepdim=False)`: the vector p-norm over `dim` (all elements by default):
 * 'fro' and 2 the Euclidean norm, 1 the sum of magnitudes, Infinity/-Infinity the largest/smallest magnitude, 0 the
 * count of nonzeros, other p `sum(|x|^p)^(1/p)`.
 */
/** `x.norm(p=2, dim=1, keepdim=True)` written `x.norm({ p: 2, dim: 1, keepdim: true })`. */
export interface NormKeywords extends NormOptions {
  p?: NormOrder;
  dim?: Dims | null;
}

export function norm(x: Tensor, pOr: NormOrder | NormKeywords = 'fro', dimGiven?: Dims | null, given: NormOptions | boolean = {}): Tensor {
  // Keywords in one options object (`x.norm({ dim: 1 })`) must not read as a norm order.
  const keywords = typeof pOr === 'object' && pOr !== null;
  if (keywords) checkOptionKeys('norm', pOr, ['p', 'dim', 'keepdim']);
  const p: NormOrder = keywords ? (pOr.p ?? 'fro') : pOr;
  const dim = keywords ? pOr.dim : dimGiven;
  const options: NormOptions = keywords ? { keepdim: pOr.keepdim } : typeof given === 'boolean' ? { keepdim: given } : given; // x.norm(2, 1, True)
  if (!isFloating(x.dtype)) {
    throw new TypeError(`norm(): input dtype should be either floating point or complex. Got ${scalarTypeName(x.dtype)} instead.`);
  }
  if (p === 'nuc') return nuclearNorm(x, dim, options.keepdim ?? false);
  const keepdim = options.keepdim ?? false;
  const dims = dim === undefined || dim === null ? undefined : normalizeDims(dim, x.ndim);
  if (p === 'fro' && dims !== undefined && dims.length > 2) {
    throw new RangeError(`Expected at most 2 dimensions for the Frobenius norm of a tensor of shape ${formatShape(x.shape)}, but got ${dims.length}`);
  }
  const order = p === 'fro' ? 2 : p;
  // PyTorch 1.13 runs norm's kernel, except the Frobenius norm of two dims, which it composes ending in a sqrt.
  const name = p === 'fro' && dims !== undefined && dims.length === 2 ? 'SqrtBackward0' : 'NormBackward1';
  return presentAs(pNormOf(x, order, dims, keepdim), name, [x]);
}

function pNormOf(x: Tensor, order: number, dims: number[] | undefined, keepdim: boolean): Tensor {
  const reduceOptions = { keepdim };
  const magnitude = x.abs();
  if (order === Infinity) return amax(magnitude, dims, reduceOptions);
  if (order === -Infinity) return amin(magnitude, dims, reduceOptions);
  // |sign(x)| counts the nonzeros and keeps the output on the graph with PyTorch's zero gradient.
  if (order === 0) return sum(x.sign().abs(), dims, reduceOptions);
  if (order === 1) return sum(magnitude, dims, reduceOptions);
  const powered = order === 2 ? x.mul(x) : magnitude.pow(order);
  return rootOrZero(sum(powered, dims, reduceOptions), order);
}

/** `log(sum(exp(x)))` over `dim`, computed as PyTorch does: shifted by the (finite) max, which gets no gradient. */
export function logsumexp(x: Tensor, dimOr: DimOr<Dims, NormOptions>, given?: NormOptions | boolean): Tensor {
  const [dim, options] = splitDim('logsumexp', dimOr, given, 'keepdim');
  if (dim === undefined) throw new TypeError("logsumexp() missing 1 required positional argument: 'dim'");
  const keepdim = options.keepdim ?? false;
  const input = isFloating(x.dtype) ? x : x.to('float32');
  const max = amax(input.detach(), dim, { keepdim: true });
  const finiteMax = where(max.abs().eq(Infinity), full([], 0, { dtype: max.dtype, device: max.device }), max);
  const summed = sum(input.sub(finiteMax).exp(), dim, { keepdim: true }).log().add(finiteMax);
  return presentAs(keepdim ? summed : summed.reshape(reducedShape(input.shape, dim)), 'LogsumexpBackward0', [x]);
}

function reducedShape(shape: readonly number[], dim: Dims): number[] {
  const dims = new Set(normalizeDims(dim, shape.length));
  return shape.filter((_, i) => !dims.has(i));
}

/**
 * `torch.renorm(x, p, dim, maxnorm)`: each slice along `dim` whose p-norm exceeds `maxnorm` scaled down to it (by
 * `maxnorm / (norm + 1e-7)`, as PyTorch); the gradient includes the norm's, as PyTorch's.
 */
export function renorm(x: Tensor, p: number, dim: number, maxnorm: number): Tensor {
  if (!isFloating(x.dtype)) throw new TypeError(`"renorm" not implemented for '${scalarTypeName(x.dtype)}'`);
  if (!(p > 0)) throw new RangeError('renorm: non-positive-norm not supported');
  if (maxnorm < 0) throw new RangeError(`renorm: expected maxnorm to be >= 0 but got ${maxnorm}`);
  const d = normalizeDim(dim, x.ndim);
  const norms = pNormOf(x, p, x.shape.map((_, i) => i).filter((i) => i !== d), true);
  const factor = where(norms.gt(maxnorm), norms.add(1e-7).reciprocal().mul(maxnorm), 1);
  return presentAs(x.mul(factor), 'RenormBackward0', [x]);
}

/** `torch.norm(A, 'nuc', dim)`: the sum of the singular values of the matrices over two dims (all of a 2-d input). */
function nuclearNorm(x: Tensor, dim: Dims | null | undefined, keepdim: boolean): Tensor {
  if (dim === undefined || dim === null) {
    if (x.ndim !== 2) throw new RangeError(`Expected a tensor with 2 dimensions, but got a tensor with ${x.ndim} dimension${x.ndim === 1 ? '' : 's'} instead.`);
  } else if (typeof dim === 'number' || dim.length !== 2) throw new RangeError("nuclear norm requires a 'dim' argument of size 2");
  const [d0, d1] = dim === undefined || dim === null ? [0, 1] : normalizeDims(dim, x.ndim);
  const summed = svdvalsOver(x, d0, d1).sum(-1);
  // With keepdim PyTorch moves the kept dims back in place last (PermuteBackward0).
  return keepdim ? presentAs(summed.unsqueeze(Math.min(d0, d1)).unsqueeze(Math.max(d0, d1)), 'PermuteBackward0', [x]) : summed;
}

/** `torch.dist(a, b, p=2)`: the p-norm of `a - b` (broadcast), as one DistBackward0 node. */
export function dist(a: Tensor, b: Tensor, p: NormOrder = 2): Tensor {
  return presentAs(norm(a.sub(b), p), 'DistBackward0', [a, b]);
}
