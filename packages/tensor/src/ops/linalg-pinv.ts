import type { DType } from '@descent/backend';
import { isFloating, scalarTypeName } from '../dtype.js';
import { checkOptionKeys } from '../options.js';
import type { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { where } from './indexing.js';
import { inv } from './linalg-solve.js';
import { matrixNorm, type MatrixNormOrder } from './linalg-norms.js';
import { eigh, svd, svdvals } from './linalg-spectral.js';
import { runHostOp } from './host-function.js';
import { presentAs } from './present-as.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

// The functions built on the SVD (or eigh): pinv (with PyTorch's own gradient formula), matrix_rank, lstsq and cond
// (composed from the SVD's differentiable outputs).

const EPS: Partial<Record<DType, number>> = { float32: 1.1920928955078125e-7, float64: 2.220446049250313e-16 };

export interface ToleranceOptions {
  atol?: number | null;
  rtol?: number | null;
  hermitian?: boolean;
}

/** PyTorch's default tolerances: rtol = eps * max(m, n) unless atol alone was given (then rtol = 0). */
function tolerances(a: Tensor, atol: number | null | undefined, rtol: number | null | undefined): [number, number] {
  const [m, n] = a.shape.slice(-2);
  const defaultRtol = (EPS[a.dtype] ?? 0) * Math.max(m, n);
  return [atol ?? 0, rtol ?? (atol !== null && atol !== undefined && atol > 0 ? 0 : defaultRtol)];
}

/** The values above max(atol, rtol * largest) (by magnitude), per matrix. */
function aboveCutoff(values: Tensor, atol: number, rtol: number): Tensor {
  const magnitude = values.abs();
  const cutoff = magnitude.amax(-1, { keepdim: true }).mul(rtol).clamp(atol, null);
  return magnitude.gt(cutoff);
}

/**
 * `torch.linalg.pinv(A, *, atol=None, rtol=None, hermitian=False)`: the pseudoinverse V diag(1/S) U^T with the
 * singular values at or below the tolerance dropped. A number in place of the options is PyTorch's older
 * `pinv(A, rcond, hermitian)` (`torch.pinverse`'s rcond), a relative tolerance.
 */
export function pinv(a: Tensor, options: ToleranceOptions | number = {}, hermitian = false): Tensor {
  const opts = typeof options === 'number' ? { rtol: options, hermitian } : options;
  checkOptionKeys('pinv', opts, ['atol', 'rtol', 'hermitian']);
  if (!isFloating(a.dtype) || a.ndim < 2) {
    throw new TypeError(`linalg.pinv(${scalarTypeName(a.dtype)}{[${a.shape.join(', ')}]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types`);
  }
  const [atol, rtol] = tolerances(a, opts.atol, opts.rtol);
  // The value from the SVD (for symmetric input its singular values are the eigenvalues' magnitudes, so `hermitian`
  // gives the same), the gradient PyTorch's pinv_backward, which differentiates the pseudoinverse at constant rank.
  const [out] = runHostOp({
    name: 'LinalgPinvBackward0',
    inputs: [a],
    forward: () => {
      const { U, S, Vh } = svd(a, false);
      const keep = aboveCutoff(S, atol, rtol);
      const inverse = where(keep, where(keep, S, 1).reciprocal(), 0);
      return [Vh.transpose(-2, -1).mul(inverse.unsqueeze(-2)).matmul(U.transpose(-2, -1))];
    },
    backward: ([grad], [p]) => [pinvBackward(grad, p, a)],
  });
  return out;
}

/** PyTorch's pinv_backward: the gradient of A from that of pinv(A), in the cheaper of its two groupings. */
function pinvBackward(grad: Tensor, p: Tensor, a: Tensor): Tensor {
  const h = (x: Tensor) => x.transpose(-2, -1);
  const [m, n] = a.shape.slice(-2);
  const [ph, gh] = [h(p), h(grad)];
  if (m <= n) {
    const k = gh.matmul(p);
    const kph = k.matmul(ph);
    return h(p.matmul(k)).neg().add(kph).sub(a.matmul(p).matmul(kph)).add(ph.matmul(p).matmul(gh.sub(k.matmul(a))));
  }
  const k = p.matmul(gh);
  const phk = ph.matmul(k);
  return h(k.matmul(p)).neg().add(gh.sub(a.matmul(k)).matmul(p).matmul(ph)).add(phk).sub(phk.matmul(p).matmul(a));
}

/** `torch.pinverse(A, rcond=1e-15)`. */
export const pinverse = (a: Tensor, rcond = 1e-15): Tensor => pinv(a, rcond);

export interface MatrixRankOptions extends ToleranceOptions {
  /** PyTorch's older absolute tolerance (`matrix_rank(A, tol=...)`). */
  tol?: number | null;
}

/** `torch.linalg.matrix_rank(A, *, atol=None, rtol=None, hermitian=False)`: how many singular values pass the tolerance. */
export function matrixRank(a: Tensor, tolOr: MatrixRankOptions | number | null = {}, hermitian = false): Tensor {
  // `matrix_rank(A, tol=None, hermitian=False)`, PyTorch's older positional form, or the options.
  const options = typeof tolOr === 'object' && tolOr !== null ? tolOr : { tol: tolOr, hermitian };
  checkOptionKeys('matrix_rank', options, ['atol', 'rtol', 'hermitian', 'tol']);
  if (!isFloating(a.dtype)) throw new TypeError("This function doesn't handle types other than float and double");
  const [atol, rtol] = options.tol !== undefined && options.tol !== null ? [options.tol, 0] : tolerances(a, options.atol, options.rtol);
  const values = options.hermitian ? eigh(a.detach()).eigenvalues : svdvals(a.detach());
  return aboveCutoff(values, atol, rtol).sum(-1);
}

/** What `torch.linalg.lstsq` returns, like PyTorch's `(solution, residuals, rank, singular_values)` named tuple. */
export class Lstsq {
  constructor(
    readonly solution: Tensor,
    readonly residuals: Tensor,
    readonly rank: Tensor,
    readonly singularValues: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.linalg_lstsq(...)`). */
  toString(): string {
    return returnTypeRepr('linalg_lstsq', { solution: this.solution, residuals: this.residuals, rank: this.rank, singular_values: this.singularValues });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.solution;
    yield this.residuals;
    yield this.rank;
    yield this.singularValues;
  }
}

export interface LstsqOptions {
  rcond?: number | null;
  driver?: 'gels' | 'gelsy' | 'gelsd' | 'gelss' | null;
}

/**
 * `torch.linalg.lstsq(A, B, rcond=None, *, driver=None)`: the least-squares (minimum-norm when underdetermined)
 * solution X of AX = B, by the pseudoinverse. The other fields follow the driver as PyTorch's CPU fills them: rank
 * (not for gels), residuals (gels, gelsd, gelss, when m > n and A has full rank) and singular values (gelsd, gelss).
 */
export function lstsq(a: Tensor, b: Tensor, rcondOr: number | null | LstsqOptions = null, given: LstsqOptions = {}): Lstsq {
  const options = typeof rcondOr === 'object' && rcondOr !== null ? rcondOr : { ...given, rcond: rcondOr };
  checkOptionKeys('lstsq', options, ['rcond', 'driver']);
  const driver = options.driver ?? 'gelsy';
  if (!['gels', 'gelsy', 'gelsd', 'gelss'].includes(driver)) {
    throw new RangeError('torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)');
  }
  const vector = b.ndim === a.ndim - 1;
  const rhs = vector ? b.unsqueeze(-1) : b;
  const [m, n] = a.shape.slice(-2);
  if (rhs.shape[rhs.ndim - 2] !== m) throw new RangeError('torch.linalg.lstsq: input.size(-2) should match other.size(-2)');
  const rtol = options.rcond ?? (EPS[a.dtype] ?? 0) * Math.max(m, n);
  const x = pinv(a, { rtol }).matmul(rhs);
  const solution = presentAs(vector ? x.squeeze(-1) : x, 'LinalgLstsqBackward0', [a, b]);
  const opts = { dtype: a.dtype, device: a.device };
  const values = svdvals(a.detach());
  const rank = aboveCutoff(values, 0, rtol).sum(-1);
  const fullRank = m > n && rank.eq(n).all().item();
  const residuals =
    driver !== 'gelsy' && fullRank ? a.detach().matmul(x.detach()).sub(rhs.detach()).square().sum(-2) : full([0], 0, opts);
  return new Lstsq(
    solution,
    vector && residuals.numel() > 0 ? residuals.squeeze(-1) : residuals,
    driver === 'gels' ? full([0], 0, { dtype: 'int64', device: a.device }) : rank,
    driver === 'gelsd' || driver === 'gelss' ? values : full([0], 0, opts),
  );
}

/**
 * `torch.linalg.cond(A, p=None)`: the condition number; 2 and -2 (and None) from the singular values, others as
 * `matrix_norm(A, p) * matrix_norm(inv(A), p)` (square matrices only).
 */
export function cond(a: Tensor, p: MatrixNormOrder | null = null): Tensor {
  if (p === null || p === 2 || p === -2) {
    const s = svdvals(a);
    const k = s.shape[s.ndim - 1];
    const [big, small] = [s.narrow(-1, 0, 1), s.narrow(-1, k - 1, 1)];
    return presentAs((p === -2 ? small.div(big) : big.div(small)).squeeze(-1), 'SqueezeBackward1', [a]);
  }
  const [m, n] = a.shape.slice(-2);
  if (m !== n) throw new RangeError(`linalg.cond(ord=${String(p)}): A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  const out = matrixNorm(a, p).mul(matrixNorm(inv(a), p));
  return presentAs(out, p === 'nuc' ? 'MulBackward0' : 'NanToNumBackward0', [a]);
}
