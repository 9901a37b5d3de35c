// `torch.linalg`: the functions PyTorch keeps in that namespace, under their PyTorch names (camelCase).
export { det, solve, inv } from './linalg-solve.js';
export { choleskyFactor as cholesky, qr, QR, type CholeskyOptions, type QrOptions } from './linalg-factor.js';
export { vectorNorm, matrixNorm, linalgNorm as norm, type LinalgNormOptions, type MatrixNormOrder } from './linalg-norms.js';
export { multiDot, matrixPower, matrixExp } from './matrix-products.js';
export { slogdet, SignLogAbsDet } from './linalg-logdet.js';
export { eigh, eigvalsh, svd, svdvals, Eigh, SVD, type SvdOptions } from './linalg-spectral.js';
export { pinv, matrixRank, lstsq, cond, Lstsq, type ToleranceOptions, type MatrixRankOptions, type LstsqOptions } from './linalg-pinv.js';
export { linalgCross as cross } from './products.js';
export { solveTriangular, type SolveTriangularOptions } from './linalg-triangular.js';
