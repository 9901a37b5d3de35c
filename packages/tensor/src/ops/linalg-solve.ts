import { isFloating, scalarTypeName } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { arange, eye, full } from './creation.js';
import { cat, gather, stack, where } from './indexing.js';
import { presentAs } from './present-as.js';

// det, solve and inv by Gauss-Jordan elimination with partial pivoting, a loop of tensor ops over the columns of a
// batch of matrices: the pivots are the ones LAPACK's LU picks (the first largest magnitude), so det is theirs up to
// rounding, and autograd differentiates the composition with no rule of its own.

export function checkFloatMatrices(name: string, a: Tensor, square = true): void {
  if (!isFloating(a.dtype)) throw new TypeError(`${name}: Expected a floating point or complex tensor as input. Got ${scalarTypeName(a.dtype)}`);
  if (a.ndim < 2) throw new RangeError(`${name}: The input tensor A must have at least 2 dimensions.`);
  const [m, n] = a.shape.slice(-2);
  if (square && m !== n) throw new RangeError(`${name}: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
}

export interface Elimination {
  /** The augmented columns after elimination: A^-1 B (no columns for det). */
  solved: Tensor;
  /** Each step's pivot, `[..., n]` (zero marks a singular matrix). */
  pivots: Tensor;
  /** -1 for an odd number of row swaps, else 1, `[...]`. */
  sign: Tensor;
}

export function eliminate(a: Tensor, b: Tensor | null): Elimination {
  const n = a.shape[a.ndim - 1];
  const rows = arange(n, { dtype: 'int64', device: a.device });
  const column = rows.unsqueeze(-1);
  let m = b === null ? a : cat([a, b], -1);
  let sign = full(a.shape.slice(0, -2), 1, { dtype: a.dtype, device: a.device });
  const pivots: Tensor[] = [];
  for (let k = 0; k < n; k++) {
    const magnitude = where(rows.lt(k), -1, m.select(-1, k).detach().abs());
    const p = magnitude.argmax(-1, { keepdim: true });
    const order = where(rows.eq(k), p, where(rows.eq(p), k, rows));
    m = gather(m, -2, order.unsqueeze(-1).expand(m.shape));
    sign = where(p.squeeze(-1).ne(k), sign.neg(), sign);
    const pivot = m.select(-2, k).select(-1, k);
    pivots.push(pivot);
    // A zero pivot leaves its row unscaled (its column below is all zero), as LAPACK's getrf goes on past it.
    const safe = where(pivot.eq(0), 1, pivot);
    const pivotRow = m.select(-2, k).div(safe.unsqueeze(-1));
    const factors = where(rows.eq(k), 0, m.select(-1, k));
    m = m.sub(factors.unsqueeze(-1).mul(pivotRow.unsqueeze(-2)));
    m = where(column.eq(k), pivotRow.unsqueeze(-2), m);
  }
  const solved = m.narrow(-1, n, m.shape[m.ndim - 1] - n);
  return { solved, pivots: n === 0 ? full([...a.shape.slice(0, -2), 0], 1, { dtype: a.dtype, device: a.device }) : stack(pivots, -1), sign };
}

/** PyTorch's singular-matrix errors, where the device can be read at once. */
function checkSingular(pivots: Tensor, report: (batch: number | null, position: number) => string): void {
  if (!pivots.device.supports('readSync')) return;
  const n = pivots.shape[pivots.ndim - 1];
  const values = Array.from(pivots.detach().contiguous().dataSync() as ArrayLike<number>, Number);
  const zero = values.findIndex((v) => v === 0);
  if (zero < 0) return;
  throw new RangeError(report(pivots.ndim > 1 ? Math.floor(zero / n) : null, (zero % n) + 1));
}

/** `torch.linalg.det(A)` (`torch.det`): determinants of a batch of square matrices. */
export function det(a: Tensor): Tensor {
  checkFloatMatrices('linalg.det', a);
  const { pivots, sign } = eliminate(a, null);
  return presentAs(pivots.prod(-1).mul(sign), 'LinalgDetBackward0', [a]);
}

/** `torch.linalg.solve(A, B)`: X with AX = B; B is a vector (or batch of vectors) when it has one dim fewer. */
export function solve(a: Tensor, b: Tensor): Tensor {
  checkFloatMatrices('linalg.solve', a);
  const n = a.shape[a.ndim - 1];
  const vector = b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape[b.ndim - 1] === n);
  const rhs = vector ? b.unsqueeze(-1) : b;
  if (rhs.shape[rhs.ndim - 2] !== n) {
    throw new RangeError(`linalg.solve: Incompatible shapes of A and B for the equation AX = B (${n}x${n} and ${rhs.shape[rhs.ndim - 2]}x${rhs.shape[rhs.ndim - 1]})`);
  }
  const batch = broadcastBatch(a.shape.slice(0, -2), rhs.shape.slice(0, -2));
  const left = a.expand([...batch, n, n]);
  const right = rhs.to(a.dtype).expand([...batch, n, rhs.shape[rhs.ndim - 1]]);
  const { solved, pivots } = eliminate(left, right);
  checkSingular(pivots, () => 'torch.linalg.solve: The solver failed because the input matrix is singular.');
  return presentAs(vector ? solved.squeeze(-1) : solved, 'LinalgSolveExBackward0', [a, b]);
}

function broadcastBatch(a: readonly number[], b: readonly number[]): number[] {
  const length = Math.max(a.length, b.length);
  return Array.from({ length }, (_, i) => {
    const x = a[a.length - length + i] ?? 1;
    const y = b[b.length - length + i] ?? 1;
    return x === 1 ? y : x;
  });
}

/** `torch.linalg.inv(A)` (`torch.inverse`): inverses of a batch of square matrices. */
export function inv(a: Tensor): Tensor {
  checkFloatMatrices('linalg.inv', a);
  const n = a.shape[a.ndim - 1];
  const identity = eye(n, { dtype: a.dtype, device: a.device }).expand(a.shape);
  const { solved, pivots } = eliminate(a, identity);
  checkSingular(pivots, (batch, position) => {
    const where = batch === null ? '' : `(Batch element ${batch}): `;
    return `linalg.inv: ${where}The diagonal element ${position} is zero, the inversion could not be completed because the input matrix is singular.`;
  });
  return presentAs(solved, 'LinalgInvExBackward0', [a]);
}
