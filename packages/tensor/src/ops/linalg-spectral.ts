import { isGradEnabled } from '../grad-mode.js';
import { checkOptionKeys } from '../options.js';
import type { Tensor } from '../tensor.js';
import { eye, fromArray, zeros } from './creation.js';
import { hostSvd, symmetricEigen } from './host-linalg.js';
import { requireHost, runHostOp } from './host-function.js';
import { checkFloatMatrices } from './linalg-solve.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

// eigh and svd: the decompositions run on the host in float64 (host-linalg.ts, one matrix of the batch at a time),
// the gradients are PyTorch's formulas (linalg_eig_backward, svd_backward) in tensor ops. Eigenvectors and singular
// vectors are unique only up to sign (LAPACK implementations differ there too); everything else is PyTorch's.

/** What `torch.linalg.eigh` returns, like PyTorch's `(eigenvalues, eigenvectors)` named tuple. */
export class Eigh {
  constructor(
    readonly eigenvalues: Tensor,
    readonly eigenvectors: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.linalg_eigh(...)`). */
  toString(): string {
    return returnTypeRepr('linalg_eigh', { eigenvalues: this.eigenvalues, eigenvectors: this.eigenvectors });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.eigenvalues;
    yield this.eigenvectors;
  }
}

/** What `torch.linalg.svd` returns, like PyTorch's `(U, S, Vh)` named tuple. */
export class SVD {
  constructor(
    readonly U: Tensor,
    readonly S: Tensor,
    readonly Vh: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.linalg_svd(...)`). */
  toString(): string {
    return returnTypeRepr('linalg_svd', { U: this.U, S: this.S, Vh: this.Vh });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.U;
    yield this.S;
    yield this.Vh;
  }
}

/** The matrices of a batch as float64 host arrays, and the batch's shape. */
export function hostMatrices(name: string, a: Tensor): { batch: number[]; m: number; n: number; matrices: Float64Array[] } {
  requireHost(name, a);
  const [m, n] = a.shape.slice(-2);
  const batch = a.shape.slice(0, -2);
  const data = a.detach().contiguous().to('float64').dataSync() as Float64Array;
  const size = m * n;
  const count = batch.reduce((a, b) => a * b, 1);
  const matrices = Array.from({ length: count }, (_, i) => data.subarray(i * size, (i + 1) * size));
  return { batch, m, n, matrices };
}

/** One tensor of `shape` (batch first) from the per-matrix host arrays, in `like`'s dtype and device. */
export function fromHostParts(parts: readonly Float64Array[], shape: readonly number[], like: Tensor): Tensor {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const flat = new Float64Array(total);
  let offset = 0;
  for (const p of parts) {
    flat.set(p, offset);
    offset += p.length;
  }
  return fromArray(flat, shape, { dtype: like.dtype, device: like.device });
}

const mT = (x: Tensor): Tensor => x.transpose(-2, -1);

/**
 * Whether an output's gradient carries anything: the engine hands all zeros to an output that received none, where
 * PyTorch's formulas see an undefined gradient and leave its terms out (they divide by eigenvalue gaps).
 */
const given = (g: Tensor): boolean => g.numel() > 0 && Number(g.detach().abs().amax().item()) !== 0;

/** `d` on the diagonal of zeros: `diag_embed` for the last dim. */
const diagEmbed = (d: Tensor): Tensor => d.unsqueeze(-1).mul(eye(d.shape[d.ndim - 1], { dtype: d.dtype, device: d.device }));

/** 1 / (row_j - row_i) off the diagonal, 0 on it: the divided differences of the spectral gradients. */
function inverseGaps(values: Tensor): Tensor {
  const gaps = values.unsqueeze(-2).sub(values.unsqueeze(-1));
  const identity = eye(values.shape[values.ndim - 1], { dtype: values.dtype, device: values.device });
  return gaps.add(identity).reciprocal().mul(identity.neg().add(1));
}

function checkUplo(uplo: string): void {
  if (uplo !== 'L' && uplo !== 'U') throw new RangeError(`Expected UPLO argument to be 'L' or 'U', but got ${uplo}`);
}

function eighForward(name: string, a: Tensor, uplo: string): [Tensor, Tensor] {
  checkFloatMatrices(name, a);
  checkUplo(uplo);
  const { batch, n, matrices } = hostMatrices(name, a);
  const parts = matrices.map((mat) => symmetricEigen(mat, n, uplo === 'U'));
  return [fromHostParts(parts.map((p) => p.values), [...batch, n], a), fromHostParts(parts.map((p) => p.vectors), [...batch, n, n], a)];
}

/** `torch.linalg.eigh(A, UPLO='L')`: eigenvalues (ascending) and orthonormal eigenvectors of symmetric matrices. */
export function eigh(a: Tensor, uplo: 'L' | 'U' | { UPLO?: 'L' | 'U' } = 'L'): Eigh {
  const triangle = typeof uplo === 'object' ? (checkOptionKeys('eigh', uplo, ['UPLO']), uplo.UPLO ?? 'L') : uplo;
  const [values, vectors] = runHostOp({
    name: 'LinalgEighBackward0',
    inputs: [a],
    forward: () => eighForward('linalg.eigh', a, triangle),
    backward: ([gL, gV], [L, V]) => {
      // gA = V (skew(V^T gV) / (L_j - L_i) + diag(gL)) V^T, as PyTorch's linalg_eig_backward for Hermitian input;
      // without a gradient of V the term is left out, as PyTorch does (it would be 0 / 0 at repeated eigenvalues).
      let inner = diagEmbed(gL);
      if (given(gV)) {
        const vhgv = mT(V).matmul(gV);
        inner = inner.add(vhgv.sub(mT(vhgv)).mul(0.5).mul(inverseGaps(L)));
      }
      return [V.matmul(inner).matmul(mT(V))];
    },
  });
  return new Eigh(values, vectors);
}

/** `torch.linalg.eigvalsh(A, UPLO='L')`: the eigenvalues alone (their gradient is V diag(gL) V^T). */
export function eigvalsh(a: Tensor, uplo: 'L' | 'U' | { UPLO?: 'L' | 'U' } = 'L'): Tensor {
  const triangle = typeof uplo === 'object' ? (checkOptionKeys('eigvalsh', uplo, ['UPLO']), uplo.UPLO ?? 'L') : uplo;
  const kept: { vectors?: Tensor } = {};
  const [values] = runHostOp({
    name: 'LinalgEighBackward0',
    inputs: [a],
    forward: () => {
      const [l, v] = eighForward('linalg.eigvalsh', a, triangle);
      kept.vectors = v;
      return [l];
    },
    backward: ([gL]) => {
      // Under create_graph the eigenvectors must depend on A: take them from a recorded eigh.
      const v = isGradEnabled() ? eigh(a, triangle).eigenvectors : (kept.vectors as Tensor);
      return [v.matmul(diagEmbed(gL)).matmul(mT(v))];
    },
  });
  return values;
}

function svdForward(name: string, a: Tensor, full: boolean): [Tensor, Tensor, Tensor] {
  checkFloatMatrices(name, a, false);
  const { batch, m, n, matrices } = hostMatrices(name, a);
  const k = Math.min(m, n);
  const parts = matrices.map((mat, i) => {
    if (!mat.every(Number.isFinite)) {
      const where = batch.length > 0 ? `(Batch element ${i}): ` : '';
      throw new RangeError(`linalg.svd: ${where}The algorithm failed to converge because the input matrix contained non-finite values.`);
    }
    return hostSvd(mat, m, n, full);
  });
  const uCols = full ? m : k;
  const vCols = full ? n : k;
  const u = fromHostParts(parts.map((p) => p.u), [...batch, m, uCols], a);
  const v = fromHostParts(parts.map((p) => p.v), [...batch, n, vCols], a);
  return [u, fromHostParts(parts.map((p) => p.s), [...batch, k], a), mT(v).contiguous()];
}

/** PyTorch's svd_backward (real case): the gradient of A from those of U, S and Vh (full matrices narrowed to k). */
function svdBackward(gU: Tensor | null, gS: Tensor, gVh: Tensor | null, U: Tensor, S: Tensor, Vh: Tensor): Tensor {
  const [m, n] = [U.shape[U.ndim - 2], Vh.shape[Vh.ndim - 1]];
  const k = S.shape[S.ndim - 1];
  const u = U.narrow(-1, 0, k);
  const vh = Vh.narrow(-2, 0, k);
  const gu = gU?.narrow(-1, 0, k) ?? null;
  const gvh = gVh?.narrow(-2, 0, k) ?? null;
  if (gu === null && gvh === null) return u.mul(gS.unsqueeze(-2)).matmul(vh);
  const skew = (x: Tensor) => x.sub(mT(x));
  const f = inverseGaps(S.square());
  let inner = diagEmbed(gS);
  if (gu !== null) inner = inner.add(skew(mT(u).matmul(gu)).mul(S.unsqueeze(-2)).mul(f));
  if (gvh !== null) inner = inner.add(S.unsqueeze(-1).mul(skew(vh.matmul(mT(gvh)))).mul(f));
  if (m > n && gu !== null) {
    const gusinv = gu.div(S.unsqueeze(-2));
    return u.matmul(inner).add(gusinv).sub(u.matmul(mT(u).matmul(gusinv))).matmul(vh);
  }
  if (m < n && gvh !== null) {
    const sinvgvh = gvh.div(S.unsqueeze(-1));
    return u.matmul(inner.matmul(vh).add(sinvgvh).sub(sinvgvh.matmul(mT(vh)).matmul(vh)));
  }
  return u.matmul(inner).matmul(vh);
}

export interface SvdOptions {
  fullMatrices?: boolean;
  driver?: null;
}

/** `torch.linalg.svd(A, full_matrices=True)`: A = U diag(S) Vh, singular values descending. */
export function svd(a: Tensor, fullMatricesOr: boolean | SvdOptions = true): SVD {
  const options = typeof fullMatricesOr === 'boolean' ? { fullMatrices: fullMatricesOr } : fullMatricesOr;
  checkOptionKeys('svd', options, ['fullMatrices', 'driver']);
  const full = options.fullMatrices ?? true;
  const [u, s, vh] = runHostOp({
    name: 'LinalgSvdBackward0',
    inputs: [a],
    forward: () => svdForward('linalg.svd', a, full),
    backward: ([gU, gS, gVh], [U, S, Vh]) => [svdBackward(given(gU) ? gU : null, gS, given(gVh) ? gVh : null, U, S, Vh)],
  });
  return new SVD(u, s, vh);
}

/** `torch.linalg.svdvals(A)`: the singular values alone (their gradient is U diag(gS) Vh). */
export function svdvals(a: Tensor): Tensor {
  const kept: { u?: Tensor; vh?: Tensor } = {};
  const [values] = runHostOp({
    name: 'LinalgSvdBackward0',
    inputs: [a],
    forward: () => {
      const [u, s, vh] = svdForward('linalg.svd', a, false);
      Object.assign(kept, { u, vh });
      return [s];
    },
    backward: ([gS], [S]) => {
      // Under create_graph the singular vectors must depend on A: take them from a recorded svd.
      const { U, Vh } = isGradEnabled() ? svd(a, false) : { U: kept.u as Tensor, Vh: kept.vh as Tensor };
      return [svdBackward(null, gS, null, U, S, Vh)];
    },
  });
  return values;
}

/** What `torch.svd` returns, like PyTorch's `(U, S, V)` named tuple (V, not Vh). */
export class SvdUSV {
  constructor(
    readonly U: Tensor,
    readonly S: Tensor,
    readonly V: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.svd(...)`). */
  toString(): string {
    return returnTypeRepr('svd', { U: this.U, S: this.S, V: this.V });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.U;
    yield this.S;
    yield this.V;
  }
}

/** The singular values of the matrices that dims d0 and d1 (normalized) of `x` hold, the other dims leading. */
export function svdvalsOver(x: Tensor, d0: number, d1: number): Tensor {
  const rest = x.shape.map((_, i) => i).filter((i) => i !== d0 && i !== d1);
  return svdvals(x.permute([...rest, d0, d1]));
}

/**
 * `torch.svd(A, some=True, compute_uv=True)`, the older spelling: (U, S, V) with V, not Vh; `some: false` gives full
 * matrices; without `computeUv`, U and V are zeros (m x m and n x n), as PyTorch's.
 */
export function svdLegacy(a: Tensor, some = true, computeUv = true): SvdUSV {
  if (!computeUv) {
    const [m, n] = a.shape.slice(-2);
    const batch = a.shape.slice(0, -2);
    const options = { dtype: a.dtype, device: a.device };
    return new SvdUSV(zeros([...batch, m, m], options), svdvals(a), zeros([...batch, n, n], options));
  }
  const { U, S, Vh } = svd(a, !some);
  return new SvdUSV(U, S, mT(Vh));
}
