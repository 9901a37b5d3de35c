import type { ConvGeometry } from '@descent/backend';
import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';
import { cat, gatherChecked, scatterAddZeros } from './indexing.js';
import { zeros } from './creation.js';

/**
 * A convolution as one product with its windows gathered (im2col): `weight` [G, Og, Kg], `x` [N, M] (a batch of
 * flattened, possibly padded inputs), `index` [G * Kg * L] the window reads. Row `g * Kg + q` of a sample's columns
 * reads `x[i][index[(g * Kg + q) * L + l]]`, and the output is `weight[g] @ columns[g]`, [N, G, Og, L]. Backends
 * with the `unfoldMatmul*` kernels never materialize the columns; elsewhere it is a gather and a batched matmul.
 */

/** The window reads of every sample, [N, G, Kg, L]: a gather of the flattened inputs. */
export function unfoldColumns(x: Tensor, index: Tensor, groups: number, kg: number): Tensor {
  const n = x.shape[0];
  const l = index.shape[0] / (groups * kg);
  return gatherChecked(x, 1, index.reshape([1, index.shape[0]]).expand([n, index.shape[0]])).view([n, groups, kg, l]);
}

/** Whether the backend's fused kernels take these operands (float32 only). */
function fused(x: Tensor, method: 'unfoldMatmul' | 'unfoldMatmulWeightGrad' | 'unfoldMatmulInputGrad'): boolean {
  return x.dtype === 'float32' && x.device.supports(method);
}

export interface UnfoldMatmulOptions {
  /** Added per output channel: [G * Og] elements. */
  bias?: Tensor | null;
  /** The output's shape, [N, G * Og, ...spatial] (by default [N, G, Og, L]). */
  shape?: readonly number[];
  /**
   * [M, R] int64: for each input element, the index entries that read it (ascending, padded with G * Kg * L), so
   * backends without a fused input gradient gather it instead of scattering (`unfoldMatmulInputGrad`).
   */
  readers?: Tensor | null;
  /** The stride-1 convolution the index reads, if it is one: a hint for backends with direct kernels. */
  geometry?: ConvGeometry | null;
}

const unfoldMatmulBody: OpBody<'unfoldMatmul', Tensor> = ([weight, x, index, bias], { shape, geometry }) => {
  // The fused kernel adds the bias as it writes (a broadcast add was a second pass over the output).
  if (fused(x, 'unfoldMatmul') && (bias === undefined || bias.dtype === x.dtype)) return k.fusedUnfoldMatmul(weight, x, index, bias ?? null, geometry).reshape(shape);
  const out = weight.matmul(unfoldColumns(x, index, weight.shape[0], weight.shape[2])).reshape(shape);
  return bias === undefined ? out : out.add(bias.reshape([bias.numel(), ...new Array<number>(shape.length - 2).fill(1)]));
};

/**
 * `weight[g] @ columns(x)[g]` for every sample, [N, G, Og, L] (see above), viewed as `shape` ([N, G * Og, ...spatial],
 * a convolution's output), plus `bias` [G * Og] per channel when given. Differentiable in `weight`, `x` and `bias`:
 * one node, PyTorch's ConvolutionBackward0.
 */
export function unfoldMatmul(weight: Tensor, x: Tensor, index: Tensor, options: UnfoldMatmulOptions = {}): Tensor {
  const { bias = null, shape, readers = null, geometry = null } = options;
  if (weight.ndim !== 3 || x.ndim !== 2 || index.ndim !== 1) {
    throw new RangeError(`unfoldMatmul expects a 3-D weight, a 2-D x and a 1-D index, got ${weight.ndim}-D, ${x.ndim}-D and ${index.ndim}-D`);
  }
  if (index.dtype !== 'int64' && index.dtype !== 'int32') throw new TypeError(`unfoldMatmul expects an int64 or int32 index, got ${index.dtype}`);
  if (weight.dtype !== x.dtype) throw new TypeError(`unfoldMatmul expects weight and x of one dtype, got ${weight.dtype} and ${x.dtype}`);
  const rows = weight.shape[0] * weight.shape[2];
  if (rows === 0 || index.shape[0] % rows !== 0) {
    throw new RangeError(`unfoldMatmul: the index's ${index.shape[0]} reads are not a whole number of positions for ${rows} window rows`);
  }
  const l = index.shape[0] / rows;
  const outShape = shape ?? [x.shape[0], weight.shape[0], weight.shape[1], l];
  if (outShape.reduce((a, b) => a * b, 1) !== x.shape[0] * weight.shape[0] * weight.shape[1] * l || outShape[0] !== x.shape[0]) {
    throw new RangeError(`unfoldMatmul: shape [${outShape.join(', ')}] does not hold [${[x.shape[0], weight.shape[0], weight.shape[1], l].join(', ')}]`);
  }
  if (bias !== null && bias.numel() !== weight.shape[0] * weight.shape[1]) {
    throw new RangeError(`unfoldMatmul: bias of ${bias.numel()} elements for ${weight.shape[0] * weight.shape[1]} output channels`);
  }
  return run('unfoldMatmul', bias === null ? [weight, x, index] : [weight, x, index, bias], { shape: outShape, readers, geometry }, unfoldMatmulBody);
}

const weightGradBody: OpBody<'unfoldMatmulWeightGrad', Tensor> = ([grad, x, index], { geometry }) => {
  if (fused(x, 'unfoldMatmulWeightGrad')) return k.fusedUnfoldMatmulWeightGrad(grad, x, index, geometry);
  const [, groups, , l] = grad.shape;
  return grad.matmul(unfoldColumns(x, index, groups, index.shape[0] / (groups * l)).transpose(2, 3)).sum(0);
};

/**
 * `unfoldMatmul`'s weight gradient from the output's `grad` [N, G, Og, L]: [G, Og, Kg]; `geometry` as
 * `unfoldMatmul`'s option. Not recorded.
 */
export function unfoldMatmulWeightGrad(grad: Tensor, x: Tensor, index: Tensor, geometry: ConvGeometry | null = null): Tensor {
  return run('unfoldMatmulWeightGrad', [grad, x, index], { geometry }, weightGradBody);
}

const inputGradBody: OpBody<'unfoldMatmulInputGrad', Tensor> = ([weight, grad, index, readers], { width, geometry }) => {
  if (fused(grad, 'unfoldMatmulInputGrad')) return k.fusedUnfoldMatmulInputGrad(weight, grad, index, width, geometry);
  return composedInputGrad(weight, grad, index, width, readers ?? null);
};

/**
 * The input gradient from differentiable ops: the columns' gradients `weight[g]ᵀ @ grad[g]`, added up at their reads
 * (col2im). With `readers`, each input element gathers its readers' gradients and sums them (in the fused kernels'
 * order); without, a scatter-add, which a GPU runs output-parallel over every read.
 */
export function composedInputGrad(weight: Tensor, grad: Tensor, index: Tensor, width: number, readers: Tensor | null): Tensor {
  const n = grad.shape[0];
  const columns = weight.transpose(1, 2).matmul(grad).reshape([n, index.shape[0]]);
  if (readers === null) return scatterAddZeros([n, width], 1, index.reshape([1, index.shape[0]]).expand([n, index.shape[0]]), columns);
  const r = readers.shape[1];
  const padded = cat([columns, zeros([n, 1], { dtype: columns.dtype, device: columns.device })], 1);
  return gatherChecked(padded, 1, readers.reshape([1, width * r]).expand([n, width * r])).view([n, width, r]).sum(2);
}

/**
 * `unfoldMatmul`'s input gradient from the output's `grad`: [N, width], the reads' gradients added up (col2im);
 * `readers` and `geometry` as `unfoldMatmul`'s options. Not recorded.
 */
export function unfoldMatmulInputGrad(weight: Tensor, grad: Tensor, index: Tensor, width: number, readers: Tensor | null = null, geometry: ConvGeometry | null = null): Tensor {
  return run('unfoldMatmulInputGrad', readers === null ? [weight, grad, index] : [weight, grad, index, readers], { width, geometry }, inputGradBody);
}
