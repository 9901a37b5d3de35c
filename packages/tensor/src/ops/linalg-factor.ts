import { checkOptionKeys } from '../options.js';
import type { Tensor } from '../tensor.js';
import { arange, eye, full } from './creation.js';
import { stack, where } from './indexing.js';
import { checkFloatMatrices } from './linalg-solve.js';
import { presentAs } from './present-as.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

// Cholesky and QR factorizations as loops of tensor ops over the columns (batched through broadcasting matmul), so
// autograd differentiates them and every backend runs them.

export interface CholeskyOptions {
  upper?: boolean;
}

/**
 * `torch.linalg.cholesky(A, *, upper=False)`: L with A = L L^T, column by column (Cholesky-Banachiewicz). A is read
 * as (A + A^T) / 2, which equals A for the symmetric inputs it takes and gives PyTorch's symmetrized gradient.
 */
export function choleskyFactor(a: Tensor, options: CholeskyOptions = {}, name = 'linalg.cholesky'): Tensor {
  checkOptionKeys('cholesky', options, ['upper']);
  checkFloatMatrices(name, a);
  const n = a.shape[a.ndim - 1];
  const sym = a.add(a.transpose(-2, -1)).div(2);
  const rows = arange(n, { dtype: 'int64', device: a.device });
  const columns: Tensor[] = [];
  const diagonal: Tensor[] = [];
  for (let j = 0; j < n; j++) {
    let s = sym.select(-1, j);
    if (j > 0) {
      const known = stack(columns, -1);
      s = s.sub(known.matmul(known.select(-2, j).unsqueeze(-1)).squeeze(-1));
    }
    const d = s.select(-1, j);
    diagonal.push(d);
    const root = d.sqrt().unsqueeze(-1);
    columns.push(where(rows.lt(j), 0, where(rows.eq(j), root, s.div(root))));
  }
  checkPositive(diagonal, name);
  const l = n === 0 ? a.mul(0) : stack(columns, -1);
  return presentAs(options.upper ? l.transpose(-2, -1) : l, 'LinalgCholeskyExBackward0', [a]);
}

/** PyTorch's error for the first leading minor that is not positive, where the device can be read at once. */
function checkPositive(diagonal: Tensor[], name: string): void {
  if (diagonal.length === 0 || !diagonal[0].device.supports('readSync')) return;
  const d = stack(diagonal, -1).detach().contiguous();
  const n = diagonal.length;
  const values = Array.from(d.dataSync() as ArrayLike<number>, Number);
  const bad = values.findIndex((v) => !(v > 0));
  if (bad < 0) return;
  const batch = d.ndim > 1 ? `(Batch element ${Math.floor(bad / n)}): ` : '';
  throw new RangeError(
    `${name}: ${batch}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${(bad % n) + 1} is not positive-definite).`,
  );
}

/** `torch.cholesky(A, upper=False)`, the older spelling. */
export function cholesky(a: Tensor, upper = false): Tensor {
  return presentAs(choleskyFactor(a, { upper }, 'linalg.cholesky'), 'CholeskyBackward0', [a]);
}

/** What `torch.linalg.qr` returns, like PyTorch's `(Q, R)` named tuple; it destructures as an array. */
export class QR {
  constructor(
    readonly Q: Tensor,
    readonly R: Tensor,
    /** The named tuple's type, `torch.return_types.<op>`, which its printing shows. */
    readonly op = 'linalg_qr',
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.<op>(...)`). */
  toString(): string {
    return returnTypeRepr(this.op, { Q: this.Q, R: this.R });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.Q;
    yield this.R;
  }
}

export interface QrOptions {
  mode?: 'reduced' | 'complete' | 'r';
}

/**
 * `torch.linalg.qr(A, mode='reduced')` by Householder reflections with LAPACK's sign choice (R's diagonal is
 * `-sign(alpha) * norm`, and a column already zero below the diagonal is left alone), so Q and R are LAPACK's.
 */
export function qr(a: Tensor, options: QrOptions = {}): QR {
  checkOptionKeys('qr', options, ['mode']);
  checkFloatMatrices('linalg.qr', a, false);
  const mode = options.mode ?? 'reduced';
  const [m, n] = a.shape.slice(-2);
  const k = Math.min(m, n);
  const rows = arange(m, { dtype: 'int64', device: a.device });
  let r = a;
  let q = eye(m, { dtype: a.dtype, device: a.device }).expand([...a.shape.slice(0, -2), m, m]);
  for (let j = 0; j < k; j++) {
    const x = where(rows.lt(j), 0, r.select(-1, j));
    const alpha = x.select(-1, j);
    const below = where(rows.le(j), 0, x).square().sum(-1);
    const norm = below.add(alpha.square()).sqrt();
    const beta = where(alpha.ge(0), norm.neg(), norm);
    const v = where(rows.eq(j), x.sub(beta.unsqueeze(-1)), x);
    const vv = v.square().sum(-1);
    const tau = where(below.eq(0), 0, full([], 2, { dtype: a.dtype, device: a.device }).div(where(below.eq(0), 1, vv)));
    const tv = v.mul(tau.unsqueeze(-1));
    r = r.sub(tv.unsqueeze(-1).mul(v.unsqueeze(-2).matmul(r)));
    q = q.sub(q.matmul(v.unsqueeze(-1)).mul(tv.unsqueeze(-2)));
  }
  r = r.triu();
  // PyTorch's Q and R are outputs of one LinalgQrBackward0 node.
  const named = (t: Tensor) => presentAs(t, 'LinalgQrBackward0', [a]);
  if (mode === 'complete') return new QR(named(q), named(r));
  const rReduced = r.narrow(-2, 0, k);
  return new QR(mode === 'r' ? full([0], 0, { dtype: a.dtype, device: a.device }) : named(q.narrow(-1, 0, k)), named(rReduced));
}

/** `torch.qr(A, some=True)`, the older spelling of `torch.linalg.qr(A, 'reduced' if some else 'complete')`. */
export function qrLegacy(a: Tensor, some = true): QR {
  const { Q, R } = qr(a, { mode: some ? 'reduced' : 'complete' });
  return new QR(Q, R, 'qr');
}
