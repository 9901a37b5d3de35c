import { bindArgs } from '../call-args.js';
import { isFloating, promoteTypes, scalarTypeName } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { stack } from './indexing.js';
import { checkFloatMatrices, inv, solve } from './linalg-solve.js';
import { presentAs } from './present-as.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

// Triangular solves by substitution, one row of the solution per step as tensor ops (batched through broadcasting
// matmul), so autograd differentiates them and every backend runs them. Only the triangle named is read, so the
// gradient lands there alone, as PyTorch's. The Cholesky solves go through L L^T, as PyTorch's gradients do.

export interface SolveTriangularOptions {
  upper: boolean;
  left?: boolean;
  unitriangular?: boolean;
}

/** X with A X = B for a lower (`upper` false) or upper triangular A: forward or back substitution, row by row. */
function substitute(a: Tensor, b: Tensor, upper: boolean, unitriangular: boolean): Tensor {
  const n = a.shape[a.ndim - 1];
  const rows: Tensor[] = new Array<Tensor>(n);
  const order = Array.from({ length: n }, (_, k) => (upper ? n - 1 - k : k));
  for (const i of order) {
    let rhs = b.select(-2, i);
    const [from, count] = upper ? [i + 1, n - i - 1] : [0, i];
    if (count > 0) {
      const known = stack(rows.slice(from, from + count), -2);
      rhs = rhs.sub(a.select(-2, i).narrow(-1, from, count).unsqueeze(-2).matmul(known).squeeze(-2));
    }
    rows[i] = unitriangular ? rhs : rhs.div(a.select(-2, i).select(-1, i).unsqueeze(-1));
  }
  return n === 0 ? b : stack(rows, -2);
}

/** The batch shape of A and B broadcast, both expanded to it. */
function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const length = Math.max(batchA.length, batchB.length);
  const batch = Array.from({ length }, (_, i) => {
    const x = batchA[batchA.length - length + i] ?? 1;
    const y = batchB[batchB.length - length + i] ?? 1;
    return x === 1 ? y : x;
  });
  return [a.expand([...batch, ...a.shape.slice(-2)]), b.expand([...batch, ...b.shape.slice(-2)])];
}

const mT = (x: Tensor): Tensor => x.transpose(-2, -1);

/**
 * `torch.linalg.solve_triangular(A, B, *, upper, left=True, unitriangular=False)`: X with AX = B (XA = B when not
 * `left`) for triangular A; only A's upper or lower triangle is read (and not its diagonal when `unitriangular`).
 */
export function solveTriangular(a: Tensor, b: Tensor, ...args: [options: SolveTriangularOptions]): Tensor {
  const options = bindArgs<Partial<SolveTriangularOptions>>({ fn: 'linalg_solve_triangular', required: 2, positional: [], keywordOnly: ['upper', 'left', 'unitriangular'] }, args);
  if (options.upper === undefined) throw new TypeError('linalg_solve_triangular() missing 1 required positional arguments: "upper"');
  const { upper, left = true, unitriangular = false } = options;
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (!isFloating(dtype)) throw new TypeError(`"triangular_solve_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  checkFloatMatrices('linalg.solve_triangular', a);
  if (b.ndim < 2) throw new RangeError('linalg.solve_triangular: The input tensor B must have at least 2 dimensions.');
  const n = a.shape[a.ndim - 1];
  const [rows, cols] = b.shape.slice(-2);
  if ((left ? rows : cols) !== n) {
    throw new RangeError(`linalg.solve_triangular: Incompatible shapes of A and B for the equation ${left ? 'AX = B' : 'XA = B'} (${n}x${n} and ${rows}x${cols})`);
  }
  const [x, y] = broadcastPair(a.to(dtype), b.to(dtype));
  // XA = B is A^T X^T = B^T, whose triangle is the other one.
  const out = left ? substitute(x, y, upper, unitriangular) : mT(substitute(mT(x), mT(y), !upper, unitriangular));
  return presentAs(out, 'LinalgSolveTriangularBackward0', [a, b]);
}

/** What `torch.triangular_solve` returns, like PyTorch's `(solution, cloned_coefficient)` named tuple. */
export class TriangularSolution {
  constructor(
    readonly solution: Tensor,
    readonly clonedCoefficient: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.triangular_solve(...)`). */
  toString(): string {
    return returnTypeRepr('triangular_solve', { solution: this.solution, cloned_coefficient: this.clonedCoefficient });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.solution;
    yield this.clonedCoefficient;
  }
}

export interface TriangularSolveOptions {
  upper?: boolean;
  transpose?: boolean;
  unitriangular?: boolean;
}

/**
 * `torch.triangular_solve(b, A, upper=True, transpose=False, unitriangular=False)`, the older spelling (arguments
 * reversed): X with AX = b (A^T X = b with `transpose`), and a copy of A.
 */
export function triangularSolve(b: Tensor, a: Tensor, ...args: [upper?: boolean, transpose?: boolean, unitriangular?: boolean, options?: TriangularSolveOptions] | [upper: boolean, transpose: boolean, options?: TriangularSolveOptions] | [upper: boolean, options?: TriangularSolveOptions] | [options?: TriangularSolveOptions]): TriangularSolution {
  const { upper = true, transpose = false, unitriangular = false } = bindArgs<TriangularSolveOptions>(
    { fn: 'triangular_solve', required: 2, positional: ['upper', 'transpose', 'unitriangular'] },
    args,
  );
  if (b.dtype !== a.dtype) {
    throw new TypeError(`Expected b and A to have the same dtype, but found b of type ${scalarTypeName(b.dtype)} and A of type ${scalarTypeName(a.dtype)} instead.`);
  }
  const [m, n] = a.shape.slice(-2);
  if (m !== n) throw new RangeError(`A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  const coefficient = transpose ? mT(a) : a;
  const solution = solveTriangular(coefficient, b, { upper: transpose ? !upper : upper, unitriangular });
  // Both outputs come from one TriangularSolveBackward0 node in PyTorch.
  return new TriangularSolution(presentAs(solution, 'TriangularSolveBackward0', [a, b]), presentAs(a.clone(), 'TriangularSolveBackward0', [a]));
}

/**
 * `torch.cholesky_solve(B, L, upper=False)`: X with (L L^T) X = B (U^T U with `upper`), from a Cholesky factor's
 * triangle. PyTorch's gradient of L is not triangular (it differentiates L L^T over all of L), so this solves with
 * L L^T itself; for a factor with values outside its triangle PyTorch's gradient would read them too, this one does not.
 */
export function choleskySolve(b: Tensor, l: Tensor, upper = false): Tensor {
  const [m, n] = l.shape.slice(-2);
  if (m !== n) throw new RangeError(`A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  return presentAs(solve(gram(l, upper), b), 'CholeskySolveBackward0', [b, l]);
}

/** `torch.cholesky_inverse(L, upper=False)`: (L L^T)^-1 from a Cholesky factor (all of L differentiated, as PyTorch). */
export function choleskyInverse(l: Tensor, upper = false): Tensor {
  const [m, n] = l.shape.slice(-2);
  if (l.ndim < 2 || m !== n) throw new RangeError(`cholesky_inverse: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  return presentAs(inv(gram(l, upper)), 'CholeskyInverseBackward0', [l]);
}

/** L L^T, or U^T U for an upper factor, from the factor's triangle (as LAPACK's potrs and potri read it). */
function gram(l: Tensor, upper: boolean): Tensor {
  // The other triangle adds l - l = 0 to the value but passes the gradient, which PyTorch gives all of L.
  const rest = l.sub(l.detach());
  const factor = upper ? l.triu().add(rest.tril(-1)) : l.tril().add(rest.triu(1));
  return upper ? mT(factor).matmul(factor) : factor.matmul(mT(factor));
}
