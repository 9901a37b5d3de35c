// The spectral decompositions on the host, in float64, for one row-major matrix at a time: Jacobi's methods, which
// are short, accurate to the last digits for the small matrices these are used on, and need no LAPACK. The tensor
// layer (linalg-spectral.ts) batches them and gives them PyTorch's gradients.

const MAX_SWEEPS = 60;

/**
 * A Givens rotation of two strided lines of `a`, `count` entries `step` apart from `i` and from `j`:
 * `(x, y) -> (c x - s y, s x + c y)`. Columns p, q of a row-major n-wide matrix are (p, q) with step n; rows are
 * (p n, q n) with step 1.
 */
function rotate(a: Float64Array, count: number, step: number, i: number, j: number, c: number, s: number): void {
  for (let k = 0, at = 0; k < count; k++, at += step) {
    const x = a[i + at];
    const y = a[j + at];
    a[i + at] = c * x - s * y;
    a[j + at] = s * x + c * y;
  }
}

/** The column order that sorts `values` (ascending, or descending). */
function sortOrder(values: Float64Array, descending: boolean): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((i, j) => (descending ? values[j] - values[i] : values[i] - values[j]));
}

/** A rows x cols row-major matrix with its columns in `order`. */
function permuteColumns(mat: Float64Array, rows: number, order: readonly number[]): Float64Array {
  const cols = order.length;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) order.forEach((from, to) => (out[r * cols + to] = mat[r * cols + from]));
  return out;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric n x n matrix by cyclic Jacobi
 * rotations, reading only its lower (`upper`: upper) triangle, as LAPACK's syevd with UPLO does.
 */
export function symmetricEigen(a: Float64Array, n: number, upper = false): { values: Float64Array; vectors: Float64Array } {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = upper ? a[j * n + i] : a[i * n + j];
      m[i * n + j] = x;
      m[j * n + i] = x;
    }
  }
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let total = 0;
    for (let i = 0; i < n * n; i++) total += m[i] * m[i];
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
    if (off <= 1e-32 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (apq === 0) continue;
        const theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.hypot(theta, 1));
        const c = 1 / Math.hypot(t, 1);
        const s = t * c;
        rotate(m, n, n, p, q, c, s);
        rotate(m, n, 1, p * n, q * n, c, s);
        rotate(v, n, n, p, q, c, s);
      }
    }
  }
  const diagonal = Float64Array.from({ length: n }, (_, i) => m[i * n + i]);
  const order = sortOrder(diagonal, false);
  return { values: Float64Array.from(order, (i) => diagonal[i]), vectors: permuteColumns(v, n, order) };
}

/** Columns of `u` (rows x cols, row-major) from `from` on replaced by unit vectors orthogonal to all before them. */
function completeColumns(u: Float64Array, rows: number, cols: number, from: number): void {
  let candidate = 0;
  for (let j = from; j < cols; j++) {
    for (; candidate < rows; candidate++) {
      const x = new Float64Array(rows);
      x[candidate] = 1;
      // Twice Gram-Schmidt against the columns so far keeps the new column orthogonal to rounding.
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < j; c++) {
          let dot = 0;
          for (let r = 0; r < rows; r++) dot += u[r * cols + c] * x[r];
          for (let r = 0; r < rows; r++) x[r] -= dot * u[r * cols + c];
        }
      }
      const norm = Math.hypot(...x);
      if (norm > 1e-6) {
        for (let r = 0; r < rows; r++) u[r * cols + j] = x[r] / norm;
        candidate++;
        break;
      }
    }
  }
}

export interface HostSvd {
  /** m x (full ? m : k), row-major. */
  u: Float64Array;
  /** k = min(m, n) singular values, descending. */
  s: Float64Array;
  /** n x (full ? n : k), row-major: V, not its transpose. */
  v: Float64Array;
}

/**
 * The SVD of an m x n row-major matrix by one-sided (Hestenes) Jacobi rotations of its columns (of its transpose when
 * it is wide). Singular vectors of zero singular values, and the extra columns of `full`, complete the bases.
 */
export function hostSvd(a: Float64Array, m: number, n: number, full: boolean): HostSvd {
  if (m < n) {
    const t = new Float64Array(n * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j];
    const { u, s, v } = hostSvd(t, n, m, full);
    return { u: v, s, v: u };
  }
  const w = a.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < m; r++) {
          const x = w[r * n + p];
          const y = w[r * n + q];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(zeta, 1));
        const c = 1 / Math.hypot(t, 1);
        const s = c * t;
        rotate(w, m, n, p, q, c, s);
        rotate(v, n, n, p, q, c, s);
      }
    }
    if (!rotated) break;
  }
  const norms = Float64Array.from({ length: n }, (_, j) => {
    let sum = 0;
    for (let r = 0; r < m; r++) sum += w[r * n + j] * w[r * n + j];
    return Math.sqrt(sum);
  });
  const order = sortOrder(norms, true);
  const s = Float64Array.from(order, (j) => norms[j]);
  const ws = permuteColumns(w, m, order);
  const vs = permuteColumns(v, n, order);
  const cols = full ? m : n;
  const u = new Float64Array(m * cols);
  let rank = 0;
  const scale = s[0] ?? 0;
  for (let j = 0; j < n; j++) {
    if (!(s[j] > 1e-13 * scale) || s[j] === 0) break;
    for (let r = 0; r < m; r++) u[r * cols + j] = ws[r * n + j] / s[j];
    rank++;
  }
  completeColumns(u, m, cols, rank);
  return { u, s, v: vs };
}
