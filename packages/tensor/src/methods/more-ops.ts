import * as floatSteps from '../ops/float-steps.js';
import * as histograms from '../ops/histogram.js';
import type { Histogram, HistogramOptions } from '../ops/histogram.js';
import * as inplace from '../ops/inplace.js';
import * as factor from '../ops/linalg-factor.js';
import type { QR } from '../ops/linalg-factor.js';
import * as logdets from '../ops/linalg-logdet.js';
import * as pinvs from '../ops/linalg-pinv.js';
import * as spectral from '../ops/linalg-spectral.js';
import * as triangular from '../ops/linalg-triangular.js';
import * as triangularOps from '../ops/triangular.js';
import type { TriangularSolution } from '../ops/linalg-triangular.js';
import type { SvdUSV } from '../ops/linalg-spectral.js';
import type { SignLogAbsDet } from '../ops/linalg-logdet.js';
import * as masked from '../ops/masked.js';
import * as matrixProducts from '../ops/matrix-products.js';
import * as norms from '../ops/norms.js';
import * as products from '../ops/products.js';
import type { ScaleOptions } from '../ops/products.js';
import type { TensorLike } from '../ops/scalar.js';
import * as scatterReduce from '../ops/scatter-reduce.js';
import type { ScatterReduceOptions, ScatterReduction } from '../ops/scatter-reduce.js';
import * as splitting from '../ops/split.js';
import type { Tensor as TensorType } from '../tensor.js';
import { defineMethods } from './define.js';

// Tensor methods of flips, sign steps, masked and reducing scatters, addr, matrix powers, log-determinants, renorm
// (and the older svd, pinverse, qr) and histogram (ops/split.ts, float-steps.ts, masked.ts, scatter-reduce.ts, products.ts, matrix-products.ts,
// linalg-logdet.ts, norms.ts, histogram.ts), with their in-place forms.
declare module '../tensor.js' {
  interface Tensor {
    flipud(): Tensor;
    fliplr(): Tensor;
    copysign(other: TensorLike): Tensor;
    copysign_(other: TensorLike): this;
    nextafter(other: TensorLike): Tensor;
    nextafter_(other: TensorLike): this;
    frexp(): floatSteps.Frexp;
    ldexp(other: TensorType): Tensor;
    ldexp_(other: TensorType): this;
    diagflat(offset?: number): Tensor;
    maskedScatter(mask: TensorType, source: TensorType): Tensor;
    maskedScatter_(mask: TensorType, source: TensorType): this;
    scatterReduce(dim: number, index: TensorType, src: TensorType, reduce: ScatterReduction, options?: ScatterReduceOptions): Tensor;
    scatterReduce_(dim: number, index: TensorType, src: TensorType, reduce: ScatterReduction, options?: ScatterReduceOptions): this;
    addr(vec1: TensorType, vec2: TensorType, options?: ScaleOptions): Tensor;
    addr_(vec1: TensorType, vec2: TensorType, options?: ScaleOptions): this;
    matrixPower(n: number): Tensor;
    matrixExp(): Tensor;
    logdet(): Tensor;
    slogdet(): SignLogAbsDet;
    /** `torch.svd`'s (U, S, V), as PyTorch's `Tensor.svd(some=True, compute_uv=True)`. */
    svd(some?: boolean, computeUv?: boolean): SvdUSV;
    pinverse(rcond?: number): Tensor;
    qr(some?: boolean): QR;
    /** `b.triangular_solve(A, upper=True, transpose=False, unitriangular=False)`. */
    triangularSolve(a: TensorType, upper?: boolean, transpose?: boolean, unitriangular?: boolean): TriangularSolution;
    choleskySolve(l: TensorType, upper?: boolean): Tensor;
    choleskyInverse(upper?: boolean): Tensor;
    renorm(p: number, dim: number, maxnorm: number): Tensor;
    renorm_(p: number, dim: number, maxnorm: number): this;
    histogram(bins: number | TensorType, options?: HistogramOptions): Histogram;
  }
}

defineMethods({
  flipud() { return splitting.flipud(this); },
  fliplr() { return splitting.fliplr(this); },
  copysign(other) { return floatSteps.copysign(this, other); },
  copysign_(other) { return inplace.apply(this, () => floatSteps.copysign(this, other)); },
  nextafter(other) { return floatSteps.nextafter(this, other); },
  nextafter_(other) { return inplace.apply(this, () => floatSteps.nextafter(this, other)); },
  frexp() { return floatSteps.frexp(this); },
  ldexp(other) { return floatSteps.ldexp(this, other); },
  ldexp_(other) { return inplace.apply(this, () => floatSteps.ldexp(this, other)); },
  diagflat(offset = 0) { return triangularOps.diagflat(this, offset); },
  maskedScatter(mask, source) { return masked.maskedScatter(this, mask, source); },
  maskedScatter_(mask, source) { return inplace.apply(this, () => masked.maskedScatter(this, mask, source)); },
  scatterReduce(dim, index, src, reduce, options) { return scatterReduce.scatterReduce(this, dim, index, src, reduce, options); },
  scatterReduce_(dim, index, src, reduce, options) { return inplace.apply(this, () => scatterReduce.scatterReduce(this, dim, index, src, reduce, options)); },
  addr(vec1, vec2, options) { return products.addr(this, vec1, vec2, options); },
  addr_(vec1, vec2, options) { return inplace.apply(this, () => products.addr(this, vec1, vec2, options)); },
  matrixPower(n) { return matrixProducts.matrixPower(this, n); },
  matrixExp() { return matrixProducts.matrixExp(this); },
  logdet() { return logdets.logdet(this); },
  slogdet() { return logdets.slogdetLegacy(this); },
  svd(some = true, computeUv = true) { return spectral.svdLegacy(this, some, computeUv); },
  pinverse(rcond = 1e-15) { return pinvs.pinverse(this, rcond); },
  qr(some = true) { return factor.qrLegacy(this, some); },
  triangularSolve(a, upper = true, transpose = false, unitriangular = false) { return triangular.triangularSolve(this, a, upper, transpose, unitriangular); },
  choleskySolve(l, upper = false) { return triangular.choleskySolve(this, l, upper); },
  choleskyInverse(upper = false) { return triangular.choleskyInverse(this, upper); },
  renorm(p, dim, maxnorm) { return norms.renorm(this, p, dim, maxnorm); },
  renorm_(p, dim, maxnorm) { return inplace.apply(this, () => norms.renorm(this, p, dim, maxnorm)); },
  histogram(bins, options) { return histograms.histogram(this, bins, options); },
});
