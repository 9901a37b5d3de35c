import { checkOptionKeys } from '../options.js';
import { bindArgs } from '../call-args.js';
import { scalarTypeName } from '../dtype.js';
import { broadcastShapes, normalizeDim, numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cat } from './indexing.js';
import { addmm, bmm, matmul, mm } from './linalg.js';
import { expand, narrow, permute, reshape } from './views.js';
import { presentAs } from './present-as.js';
import { outer } from './norms.js';

// Products built on matmul and broadcasting: kron, cross, tensordot, mv and the "add" forms with PyTorch's
// beta/alpha scaling (addmv, baddbmm, addbmm, addmm with options).

/** `torch.kron(a, b)`: the Kronecker product (blocks `a[i] * b`), for inputs of any rank. */
export function kron(a: Tensor, b: Tensor): Tensor {
  const rank = Math.max(a.ndim, b.ndim);
  const pad = (s: readonly number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const [sa, sb] = [pad(a.shape), pad(b.shape)];
  const left = reshape(a, sa.flatMap((s) => [s, 1]));
  const right = reshape(b, sb.flatMap((s) => [1, s]));
  return presentAs(reshape(left.mul(right), sa.map((s, i) => s * sb[i])), 'UnsafeViewBackward0', [a, b]);
}

/**
 * `torch.cross(a, b, dim=None)`: the 3-vector cross product along `dim` (inputs broadcast); without `dim`, the
 * first dim of size 3, as PyTorch 1.13's torch.cross.
 */
export function cross(a: Tensor, b: Tensor, dim?: number | null): Tensor {
  if (a.ndim !== b.ndim) throw new RangeError('linalg.cross: inputs must have the same number of dimensions.');
  const shape = broadcastShapes(a.shape, b.shape);
  let d: number;
  if (dim === undefined || dim === null) {
    d = shape.indexOf(3);
    if (d < 0) throw new RangeError('no dimension of size 3 in input');
  } else {
    d = normalizeDim(dim, shape.length);
    if (a.shape[d] !== 3 || b.shape[d] !== 3) {
      throw new RangeError(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${a.shape[d]} and ${b.shape[d]}`);
    }
  }
  const [x, y] = [expand(a, shape), expand(b, shape)];
  const part = (t: Tensor, i: number) => narrow(t, d, i, 1);
  const term = (i: number, j: number) => part(x, i).mul(part(y, j)).sub(part(x, j).mul(part(y, i)));
  return cat([term(1, 2), term(2, 0), term(0, 1)], d);
}

/** `torch.tensordot(a, b, dims=2)`: contracts the last `dims` of `a` with the first of `b`, or the listed dims. */
export function tensordot(a: Tensor, b: Tensor, dims: number | readonly [readonly number[] | number, readonly number[] | number] = 2): Tensor {
  // As PyTorch's Python wrapper: a count n contracts a's dims -n..-1 with b's 0..n-1 (named so in errors).
  let rawA: number[];
  let rawB: number[];
  if (typeof dims === 'number') {
    if (dims < 0) throw new RangeError(`tensordot expects dims >= 0, but got dims=${dims}`);
    rawA = Array.from({ length: dims }, (_, i) => i - dims);
    rawB = Array.from({ length: dims }, (_, i) => i);
  } else {
    const list = (d: readonly number[] | number) => (typeof d === 'number' ? [d] : [...d]);
    [rawA, rawB] = [list(dims[0]), list(dims[1])];
  }
  if (rawA.length !== rawB.length) throw new RangeError('both dimension lists should have same length');
  const da = rawA.map((d) => normalizeDim(d, a.ndim));
  const db = rawB.map((d) => normalizeDim(d, b.ndim));
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]]) {
      throw new RangeError(
        `contracted dimensions need to match, but first has size ${a.shape[d]} in dim ${rawA[i]} and second has size ${b.shape[db[i]]} in dim ${rawB[i]}`,
      );
    }
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !da.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !db.includes(i));
  const k = numel(da.map((d) => a.shape[d]));
  const left = reshape(permute(a, [...freeA, ...da]), [numel(freeA.map((d) => a.shape[d])), k]);
  const right = reshape(permute(b, [...db, ...freeB]), [k, numel(freeB.map((d) => b.shape[d]))]);
  return reshape(matmul(left, right), [...freeA.map((d) => a.shape[d]), ...freeB.map((d) => b.shape[d])]);
}

/** `torch.mv(mat, vec)`: matrix times vector. */
export function mv(mat: Tensor, vec: Tensor): Tensor {
  if (mat.ndim !== 2 || vec.ndim !== 1) throw new RangeError(`vector + matrix @ vector expected, got 1, ${mat.ndim}, ${vec.ndim}`);
  if (mat.shape[1] !== vec.shape[0]) {
    throw new RangeError(`size mismatch, got ${mat.shape[0]}, ${mat.shape[0]}x${mat.shape[1]},${vec.shape[0]}`);
  }
  return matmul(mat, vec);
}

export interface ScaleOptions {
  /** The multiplier of `input` (0 ignores it, NaN included, as PyTorch's). */
  beta?: number;
  /** The multiplier of the product. */
  alpha?: number;
}

/** `beta * input + alpha * product`, with PyTorch's special cases: beta 0 drops input, 1s multiply nothing. */
function scaled(name: string, input: Tensor, product: Tensor, options: ScaleOptions): Tensor {
  checkOptionKeys(name, options, ['beta', 'alpha']);
  const { beta = 1, alpha = 1 } = options;
  const p = alpha === 1 ? product : product.mul(alpha);
  // One fused kernel in PyTorch (`AddmvBackward0`), whatever beta and alpha are.
  const out = beta === 0 ? p : (beta === 1 ? input : input.mul(beta)).add(p);
  return presentAs(out, `${name[0].toUpperCase()}${name.slice(1)}Backward0`, [input]);
}

/** `torch.addmv(input, mat, vec, beta=1, alpha=1)`: `beta * input + alpha * (mat @ vec)`. */
export const addmv = (input: Tensor, mat: Tensor, vec: Tensor, options: ScaleOptions = {}): Tensor => scaled('addmv', input, mv(mat, vec), options);

/** `torch.baddbmm(input, batch1, batch2, beta=1, alpha=1)`: `beta * input + alpha * bmm(batch1, batch2)`. */
export const baddbmm = (input: Tensor, batch1: Tensor, batch2: Tensor, options: ScaleOptions = {}): Tensor =>
  scaled('baddbmm', input, bmm(batch1, batch2), options);

/** `torch.addbmm(input, batch1, batch2, beta=1, alpha=1)`: the batch's products summed, as one matmul. */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options: ScaleOptions = {}): Tensor {
  if (batch1.ndim !== 3 || batch2.ndim !== 3) throw new RangeError('batch1 must be a 3D tensor');
  const [b, n, m] = batch1.shape;
  if (batch2.shape[0] !== b || batch2.shape[1] !== m) {
    throw new RangeError(`Expected size for first two dimensions of batch2 tensor to be: [${b}, ${m}] but got: [${batch2.shape[0]}, ${batch2.shape[1]}].`);
  }
  const left = reshape(permute(batch1, [1, 0, 2]), [n, b * m]);
  return scaled('addbmm', input, mm(left, reshape(batch2, [b * m, batch2.shape[2]])), options);
}

/** `x.addmm(mat1, mat2, beta=1, alpha=1)`: PyTorch's AddmmBackward0 op when unscaled. */
export function addmmScaled(input: Tensor, mat1: Tensor, mat2: Tensor, options: ScaleOptions = {}): Tensor {
  checkOptionKeys('addmm', options, ['beta', 'alpha']);
  if ((options.beta ?? 1) === 1 && (options.alpha ?? 1) === 1) return addmm(input, mat1, mat2);
  return scaled('addmm', input, mm(mat1, mat2), options);
}

/** `torch.addr(input, vec1, vec2, beta=1, alpha=1)`: `beta * input + alpha * outer(vec1, vec2)`. */
export function addr(input: Tensor, vec1: Tensor, vec2: Tensor, options: ScaleOptions = {}): Tensor {
  if (vec1.ndim !== 1) throw new RangeError(`addr: Expected 1-D argument vec1, but got ${vec1.ndim}-D`);
  if (vec2.ndim !== 1) throw new RangeError(`addr: Expected 1-D argument vec2, but got ${vec2.ndim}-D`);
  return scaled('addr', input, outer(vec1, vec2), options);
}

/** `torch.linalg.cross(a, b, *, dim=-1)`: the cross product along `dim` (of size 3), the inputs broadcast. */
export function linalgCross(a: Tensor, b: Tensor, ...args: [options?: { dim?: number }]): Tensor {
  const { dim = -1 } = bindArgs<{ dim?: number }>({ fn: 'linalg_cross', required: 2, positional: [], keywordOnly: ['dim'] }, args);
  if (a.ndim !== b.ndim) throw new RangeError('linalg.cross: inputs must have the same number of dimensions.');
  if (a.dtype !== b.dtype) throw new TypeError(`expected scalar type ${scalarTypeName(a.dtype)} but found ${scalarTypeName(b.dtype)}`);
  const shape = broadcastShapes(a.shape, b.shape);
  const d = normalizeDim(dim, shape.length);
  if (a.shape[d] !== 3 || b.shape[d] !== 3) {
    throw new RangeError(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${a.shape[d]} and ${b.shape[d]}`);
  }
  return presentAs(cross(expand(a, shape), expand(b, shape), d), 'LinalgCrossBackward0', [a, b]);
}

/** `torch.inner(a, b)`: sums of products over the last dim of each (a scalar operand multiplies). */
export function inner(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) return a.mul(b);
  const n = a.shape[a.ndim - 1];
  if (b.shape[b.ndim - 1] !== n) {
    throw new RangeError(`inner() the last dimension must match on both input tensors but got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  }
  const out = tensordot(a, b, [[a.ndim - 1], [b.ndim - 1]]);
  // PyTorch reshapes its matmul's product (ReshapeAliasBackward0).
  return presentAs(out.reshape(out.shape), 'ReshapeAliasBackward0', [a, b]);
}

/** `torch.vdot(a, b)`: the dot product of two 1-D tensors (conjugating a, which is real here). */
export function vdot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  return presentAs(a.dot(b), 'VdotBackward0', [a, b]);
}
