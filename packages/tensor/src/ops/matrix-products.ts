import { scalarTypeName } from '../dtype.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { eye } from './creation.js';
import { matmul, mm } from './linalg.js';
import { checkFloatMatrices, inv } from './linalg-solve.js';
import { presentAs } from './present-as.js';

// Products of several matrices: multi_dot and chain_matmul (in the cheapest order, as PyTorch picks it) and
// matrix_power (by repeated squaring, as PyTorch's), matrix_exp (scaling and squaring).

/** The cheapest parenthesization of a chain with dimensions `p` (matrix i is p[i] x p[i+1]): split points per span. */
function chainOrder(p: readonly number[]): number[][] {
  const n = p.length - 1;
  const cost = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let length = 2; length <= n; length++) {
    for (let i = 0; i + length - 1 < n; i++) {
      const j = i + length - 1;
      cost[i][j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i][k] + cost[k + 1][j] + p[i] * p[k + 1] * p[j + 1];
        if (c < cost[i][j]) [cost[i][j], split[i][j]] = [c, k];
      }
    }
  }
  return split;
}

function chain(ms: readonly Tensor[], split: number[][], i: number, j: number): Tensor {
  if (i === j) return ms[i];
  const k = split[i][j];
  return mm(chain(ms, split, i, k), chain(ms, split, k + 1, j));
}

/**
 * `torch.linalg.multi_dot(tensors)`: the product of two or more matrices in the order that costs the fewest
 * multiplications; the first may be a row vector and the last a column vector (1-D), as in PyTorch.
 */
export function multiDot(tensors: readonly Tensor[], name = 'multi_dot'): Tensor {
  const n = tensors.length;
  if (n < 2) throw new RangeError(`${name}(): expected at least 2 tensors but got ${n}`);
  const [first, last] = [tensors[0], tensors[n - 1]];
  if (first.ndim < 1 || first.ndim > 2) throw new RangeError(`${name}(): the first tensor must be 1D or 2D but got ${first.ndim}D`);
  if (last.ndim < 1 || last.ndim > 2) throw new RangeError(`${name}(): the last tensor must be 1D or 2D but got ${last.ndim}D`);
  tensors.slice(1, -1).forEach((t, i) => {
    if (t.ndim !== 2) throw new RangeError(`${name}(): tensor ${i + 1} must be 2D but got ${t.ndim}D`);
  });
  tensors.forEach((t, i) => {
    if (t.dtype !== first.dtype) {
      throw new TypeError(`${name}(): all tensors must have be the same dtype but tensor 0 is ${scalarTypeName(first.dtype).toLowerCase()} and tensor ${i} ${scalarTypeName(t.dtype).toLowerCase()}`);
    }
  });
  const ms = tensors.map((t, i) => (t.ndim === 2 ? t : i === 0 ? t.unsqueeze(0) : t.unsqueeze(1)));
  ms.slice(1).forEach((t, i) => {
    if (ms[i].shape[1] !== t.shape[0]) {
      throw new RangeError(`${name}(): tensors ${i} and ${i + 1} with shapes ${formatShape(tensors[i].shape)} and ${formatShape(tensors[i + 1].shape)} cannot be multiplied`);
    }
  });
  const p = [ms[0].shape[0], ...ms.map((t) => t.shape[1])];
  let out = chain(ms, chainOrder(p), 0, n - 1);
  if (first.ndim === 1) out = out.squeeze(0);
  if (last.ndim === 1) out = out.squeeze(-1);
  // PyTorch reshapes its product into the result's shape: ViewBackward0, whatever the count.
  return presentAs(out.view(out.shape), 'ViewBackward0', tensors);
}

/** `torch.chain_matmul(*matrices)` (deprecated in PyTorch for multi_dot): 2-D matrices only, one is cloned. */
export function chainMatmul(...matrices: Tensor[]): Tensor {
  if (matrices.length === 0) throw new RangeError('chain_matmul(): Expected one or more matrices');
  for (const m of matrices) if (m.ndim !== 2) throw new RangeError(`Tensor dimension is ${m.ndim}, expected 2 instead.`);
  if (matrices.length === 1) return matrices[0].clone();
  return multiDot(matrices, 'multi_dot');
}

/**
 * `torch.linalg.matrix_power(A, n)` (`torch.matrix_power`): A^n by repeated squaring, batched; n = 0 gives identities,
 * n < 0 the power of the inverse (float inputs only).
 */
export function matrixPower(a: Tensor, n: number): Tensor {
  if (a.ndim < 2) throw new RangeError('linalg.matrix_power: The input tensor A must have at least 2 dimensions.');
  const [r, c] = a.shape.slice(-2);
  if (r !== c) throw new RangeError(`linalg.matrix_power: A must be batches of square matrices, but they are ${r} by ${c} matrices`);
  if (!Number.isInteger(n)) throw new TypeError(`matrix_power(): argument 'n' (position 2) must be int, not float`);
  if (n === 0) {
    const identity = eye(r, { dtype: a.dtype, device: a.device }).expand(a.shape);
    // PyTorch copies the identity into a tensor shaped as A, recording CopyBackwards.
    return presentAs(a.mul(0).add(identity), 'CopyBackwards', [a]);
  }
  if (n === 1) return a.clone();
  if (n < 0) checkFloatMatrices('linalg.inv', a);
  const base = n < 0 ? inv(a) : a;
  if (n === -1) return base;
  const product = (x: Tensor, y: Tensor) => (a.ndim === 2 ? mm(x, y) : matmul(x, y));
  // Binary exponentiation: the lowest set bit's power first, then each higher one multiplied in.
  let k = Math.abs(n);
  let square = base;
  while ((k & 1) === 0) {
    square = product(square, square);
    k >>= 1;
  }
  let result = square;
  for (k >>= 1; k > 0; k >>= 1) {
    square = product(square, square);
    if (k & 1) result = product(result, square);
  }
  return result;
}

/** Taylor terms of exp after scaling (the next, 1/19!, times 0.5^19, is below float64's epsilon). */
const EXP_TERMS = 18;

/**
 * `torch.linalg.matrix_exp(A)` (`torch.matrix_exp`): scaling and squaring, exp(A) = exp(A / 2^s)^(2^s) with
 * |A / 2^s|_1 <= 1/2 and a Taylor polynomial there, as tensor ops (differentiable, so the gradient is the exact
 * derivative to float rounding). A device that reads asynchronously scales by 2^10 (exact for |A|_1 up to 512).
 */
export function matrixExp(a: Tensor): Tensor {
  checkFloatMatrices('linalg.matrix_exp', a);
  const n = a.shape[a.ndim - 1];
  let s = 10;
  if (a.device.supports('readSync')) {
    const norm = a.numel() === 0 ? 0 : Number(a.detach().abs().sum(-2).amax().item());
    s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  }
  const x = s === 0 ? a : a.div(2 ** s);
  const identity = eye(n, { dtype: a.dtype, device: a.device });
  let r = identity.expand(a.shape);
  for (let k = EXP_TERMS; k >= 1; k--) r = identity.add(x.matmul(r).div(k));
  for (let i = 0; i < s; i++) r = r.matmul(r);
  return presentAs(r, 'LinalgMatrixExpBackward0', [a]);
}
