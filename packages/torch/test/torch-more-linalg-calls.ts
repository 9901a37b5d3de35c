import * as torch from '@descent/torch';

type T = torch.Tensor;
type Out = T | Iterable<T> | boolean | number;
const t = (data: number[], dtype: torch.DType = 'float32'): T => torch.tensor(data, { dtype });
const V4 = t([1.5, -2.0, 0.5, 3.0]);
const LOW = t([2.0, 9.0, -4.0, 0.5, 1.5, 7.0, -1.0, 0.25, 3.0]).reshape([3, 3]);
const TALL = t([0.5, 2.0, -1.0, 3.0, -1.0, 0.25, 1.0, 4.0, 2.0, 0.3, -0.7, 1.1]).reshape([4, 3]);
const SYM = t([2.0, 0.5, -0.3, 0.5, 1.0, 0.2, -0.3, 0.2, 3.0]).reshape([3, 3]);
/** Sign-invariant views of an SVD: U*U and Vh*Vh do not depend on each singular pair's sign. */
const usv = ([u, s, vh]: Iterable<T>): T[] => [u.mul(u), s, vh.mul(vh)];
const squared = ([values, vectors]: Iterable<T>): T[] => [values, vectors.mul(vectors)];

/** Each case of fixtures/torch_more_linalg.py as a user writes it in TypeScript: the same call, on the same inputs. */
export const LINALG_CALLS: Record<string, (...xs: T[]) => Out> = {
  linalg_svd_identity_values: (a) => torch.linalg.svd(a).S,
  linalg_eigh_identity_values: (a) => torch.linalg.eigh(a).eigenvalues,
  linalg_svd_values: (a) => torch.linalg.svd(a).S,
  linalg_svd_reduced: (a) => usv(torch.linalg.svd(a, false)),
  linalg_svd_full: (a) => usv(torch.linalg.svd(a)),
  linalg_svd_wide_batched: (a) => usv(torch.linalg.svd(a, { fullMatrices: false })),
  linalg_svd_float64: (a) => usv(torch.linalg.svd(a, false)),
  linalg_svd_reconstruct: (a) => {
    const { U, S, Vh } = torch.linalg.svd(a, false);
    return U.mul(S.unsqueeze(-2)).matmul(Vh);
  },
  linalg_svd_rank_deficient: (a) => torch.linalg.svd(a, false).S,
  linalg_svdvals: (a) => torch.linalg.svdvals(a),
  linalg_svd_empty: () => torch.linalg.svd(torch.zeros(0, 3)),
  linalg_eigh_empty: () => torch.linalg.eigh(torch.zeros(2, 0, 0)),
  linalg_pinv_zero: () => torch.linalg.pinv(torch.zeros(2, 3)),
  linalg_svdvals_batched: (a) => torch.linalg.svdvals(a),
  linalg_torch_svd: (a) => usv(torch.svd(a)),
  linalg_torch_svd_method: (a) => usv(a.svd(false)),
  linalg_torch_svd_no_uv: (a) => torch.svd(a, true, false),
  linalg_eigh: (a) => squared(torch.linalg.eigh(a)),
  linalg_eigh_values: (a) => torch.linalg.eigh(a).eigenvalues,
  linalg_eigh_upper: (a) => squared(torch.linalg.eigh(a, { UPLO: 'U' })),
  linalg_eigh_lower: (a) => squared(torch.linalg.eigh(a)),
  linalg_eigh_batched_float64: (a) => squared(torch.linalg.eigh(a)),
  linalg_eigh_reconstruct: (a) => {
    const [l, v] = torch.linalg.eigh(a);
    return v.mul(l.unsqueeze(-2)).matmul(v.transpose(-2, -1));
  },
  linalg_eigvalsh: (a) => torch.linalg.eigvalsh(a),
  linalg_eigvalsh_upper: (a) => torch.linalg.eigvalsh(a, 'U'),
  linalg_pinv: (a) => torch.linalg.pinv(a),
  linalg_pinv_wide: (a) => torch.linalg.pinv(a),
  linalg_pinv_rank_deficient: (a) => torch.linalg.pinv(a, { atol: 1e-4 }),
  linalg_pinv_hermitian: (a) => torch.linalg.pinv(a, { hermitian: true }),
  linalg_pinv_rtol: (a) => torch.linalg.pinv(a, { rtol: 0.5 }),
  linalg_pinverse: (a) => torch.pinverse(a),
  linalg_pinv_positional: (a) => torch.linalg.pinv(a, 0.3, true),
  linalg_pinverse_method: (a) => a.pinverse(0.45),
  linalg_matrix_rank: (a) => torch.linalg.matrixRank(a),
  linalg_matrix_rank_deficient: (a) => torch.linalg.matrixRank(a),
  linalg_matrix_rank_hermitian: (a) => torch.linalg.matrixRank(a, { hermitian: true }),
  linalg_matrix_rank_atol: (a) => torch.linalg.matrixRank(a, { atol: 2.5 }),
  linalg_matrix_rank_rtol: (a) => torch.linalg.matrixRank(a, { rtol: 0.4 }),
  linalg_matrix_rank_tol: (a) => torch.linalg.matrixRank(a, { tol: 3.0 }),
  linalg_matrix_rank_positional: (a) => torch.linalg.matrixRank(a, 1.2, true),
  linalg_lstsq: (a, b) => torch.linalg.lstsq(a, b),
  linalg_lstsq_wide: (a, b) => torch.linalg.lstsq(a, b),
  linalg_lstsq_vector: (a, b) => torch.linalg.lstsq(a, b).solution,
  linalg_lstsq_gelsd: (a, b) => torch.linalg.lstsq(a, b, { driver: 'gelsd' }),
  linalg_lstsq_gels: (a, b) => torch.linalg.lstsq(a, b, { driver: 'gels' }),
  linalg_lstsq_batched: (a, b) => torch.linalg.lstsq(a, b).solution,
  linalg_cond: (a) => torch.linalg.cond(a),
  linalg_cond_rect: (a) => torch.linalg.cond(a),
  linalg_cond_minus2: (a) => torch.linalg.cond(a, -2),
  linalg_cond_fro: (a) => torch.linalg.cond(a, 'fro'),
  linalg_cond_1: (a) => torch.linalg.cond(a, 1),
  linalg_cond_inf: (a) => torch.linalg.cond(a, Infinity),
  linalg_cond_nuc: (a) => torch.linalg.cond(a, 'nuc'),
  linalg_matrix_norm_2: (a) => torch.linalg.matrixNorm(a, 2),
  linalg_matrix_norm_minus2: (a) => torch.linalg.matrixNorm(a, -2),
  linalg_matrix_norm_nuc: (a) => torch.linalg.matrixNorm(a, 'nuc', [-2, -1], { keepdim: true }),
  linalg_matrix_norm_2_dims: (a) => torch.linalg.matrixNorm(a, 2, [0, 2]),
  linalg_norm_2: (a) => torch.linalg.norm(a, 2),
  linalg_torch_norm_nuc: (a) => torch.norm(a, 'nuc'),
  linalg_torch_norm_nuc_dims: (a) => a.norm('nuc', [0, 2], { keepdim: true }),
  linalg_cross: (a, b) => torch.linalg.cross(a, b),
  linalg_cross_broadcast: (a, b) => torch.linalg.cross(a, b, { dim: -2 }),
  linalg_torch_qr: (a) => torch.qr(a),
  linalg_torch_qr_complete: (a) => torch.qr(a, false),
  linalg_qr_method: (a) => a.qr(),
  linalg_solve_triangular: (a, b) => torch.linalg.solveTriangular(a, b, { upper: false }),
  linalg_solve_triangular_upper: (a, b) => torch.linalg.solveTriangular(a, b, { upper: true }),
  linalg_solve_triangular_right: (a, b) => torch.linalg.solveTriangular(a, b, { upper: false, left: false }),
  linalg_solve_triangular_unit: (a, b) => torch.linalg.solveTriangular(a, b, { upper: true, unitriangular: true }),
  linalg_solve_triangular_batched: (a, b) => torch.linalg.solveTriangular(a, b, { upper: false }),
  linalg_triangular_solve: (b, a) => torch.triangularSolve(b, a, { upper: false }),
  linalg_triangular_solve_transpose: (b, a) => torch.triangularSolve(b, a, false, true),
  linalg_triangular_solve_method: (b, a) => b.triangularSolve(a),
  linalg_cholesky_solve: (b, l) => torch.choleskySolve(b, l),
  linalg_cholesky_solve_upper: (b, u) => b.choleskySolve(u, true),
  linalg_cholesky_inverse: (l) => torch.choleskyInverse(l),
  linalg_cholesky_inverse_upper: (u) => u.choleskyInverse(true),
};

export const LINALG_ERROR_CALLS: Record<string, () => unknown> = {
  svd_nan: () => torch.linalg.svd(t([1, NaN, 0, 1]).reshape([2, 2])),
  svd_nan_batched: () => torch.linalg.svd(torch.stack([torch.eye(2), t([1, NaN, 0, 1]).reshape([2, 2])])),
  svd_int: () => torch.linalg.svd(torch.eye(2, { dtype: 'int64' })),
  svdvals_1d: () => torch.linalg.svdvals(V4),
  eigh_nonsquare: () => torch.linalg.eigh(TALL),
  // @ts-expect-error -- UPLO is 'L' or 'U'
  eigh_uplo: () => torch.linalg.eigh(SYM, { UPLO: 'X' }),
  lstsq_rows: () => torch.linalg.lstsq(TALL, torch.randn(3, 2)),
  // @ts-expect-error -- not one of lstsq's drivers
  lstsq_driver: () => torch.linalg.lstsq(TALL, torch.randn(4, 2), { driver: 'foo' }),
  pinv_int: () => torch.linalg.pinv(torch.eye(2, { dtype: 'int64' })),
  matrix_rank_int: () => torch.linalg.matrixRank(torch.eye(2, { dtype: 'int64' })),
  cross_length: () => torch.linalg.cross(torch.randn(2, 4), torch.randn(2, 4)),
  cross_dtype: () => torch.linalg.cross(torch.randn(2, 3), torch.randn(2, 3, { dtype: 'float64' })),
  cond_rect: () => torch.linalg.cond(TALL, 1),
  norm_nuc_3d: () => torch.norm(torch.randn(2, 3, 4), 'nuc'),
  norm_nuc_dim: () => torch.norm(TALL, 'nuc', 1),
  // @ts-expect-error -- dim is keyword-only, as in PyTorch
  cross_positional_dim: () => torch.linalg.cross(SYM, SYM, 0),
  // @ts-expect-error -- upper is required, as in PyTorch
  solve_triangular_upper: () => torch.linalg.solveTriangular(LOW, LOW),
  solve_triangular_shapes: () => torch.linalg.solveTriangular(LOW, torch.randn(4, 2), { upper: false }),
  solve_triangular_right_shapes: () => torch.linalg.solveTriangular(LOW, torch.randn(3, 2), { upper: false, left: false }),
  solve_triangular_square: () => torch.linalg.solveTriangular(TALL, torch.randn(4, 2), { upper: false }),
  solve_triangular_vector: () => torch.linalg.solveTriangular(LOW, torch.randn(3), { upper: false }),
  solve_triangular_int: () => torch.linalg.solveTriangular(LOW.long(), LOW.long(), { upper: false }),
  triangular_solve_dtype: () => torch.triangularSolve(torch.randn(3, 2), LOW.double()),
  cholesky_inverse_square: () => torch.choleskyInverse(torch.randn(2, 3)),
  matrix_exp_square: () => torch.linalg.matrixExp(TALL),
  matrix_exp_int: () => torch.linalg.matrixExp(torch.eye(2, { dtype: 'int64' })),
  cross_ndim: () => torch.linalg.cross(torch.randn(2, 3), torch.randn(3)),
};
