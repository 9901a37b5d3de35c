import { ones, presentAs, scatterAddZeros, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { perDim, type IntOrTuple } from './conv-args.js';
import { valuesIfReadable } from './checks.js';
import type { KernelSize } from './pooling.js';

export interface MaxUnpoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  /** The spatial size to restore (with or without the leading `[N, C]`); default the smallest that fits the windows. */
  outputSize?: readonly number[] | null;
}

type MaxUnpoolArgs = [stride: IntOrTuple | null, padding: IntOrTuple, outputSize: readonly number[] | null];

/** PyTorch's `_unpool_output_size`: the default size, or the given one within a stride of it (its messages). */
function unpoolOutputSize(input: Tensor, kernel: number[], stride: number[], pad: number[], outputSize: readonly number[] | null | undefined): number[] {
  const dims = kernel.length;
  const spatial = input.shape.slice(input.ndim - dims);
  const defaults = spatial.map((s, d) => (s - 1) * stride[d] + kernel[d] - 2 * pad[d]);
  if (outputSize === undefined || outputSize === null) return defaults;
  const given = outputSize.length === dims + 2 ? outputSize.slice(2) : [...outputSize];
  if (given.length !== dims) {
    throw new RangeError(`output_size should be a sequence containing ${dims} or ${dims + 2} elements, but it has a length of '${given.length}'`);
  }
  defaults.forEach((size, d) => {
    const [min, max] = [size - stride[d], size + stride[d]];
    if (!(min < given[d] && given[d] < max)) {
      throw new RangeError(`invalid output_size "[${outputSize.join(', ')}]" (dim ${d} must be between ${min} and ${max})`);
    }
  });
  return given;
}

/**
 * ATen's index check (its message, unclosed parenthesis included) where the indices can be read, and whether an
 * index repeats within a plane (overlapping pool windows that picked one element twice); off the CPU, assume so.
 */
function indicesRepeat(indices: Tensor, size: number[], perPlane: number, dims: number): boolean {
  const values = valuesIfReadable(indices);
  if (values === null) return true;
  const plane = size.reduce((a, b) => a * b, 1);
  const seen = new Set<number>();
  let repeat = false;
  for (let k = 0; k < values.length; k++) {
    const i = Number(values[k]);
    if (i < 0 || i >= plane) throw new RangeError(`Found an invalid max index: ${i} (output volumes are of size ${[...size, ...(dims === 1 ? [1] : [])].join('x')}`);
    if (k % perPlane === 0) seen.clear();
    if (seen.has(i)) repeat = true;
    seen.add(i);
  }
  return repeat;
}

/**
 * The inverse of a max pool: each value written at its index within its channel's output plane, zeros elsewhere.
 * A scatter-add into zeros, so the gradient is the gather of the output's gradient at the indices, PyTorch's
 * backward. Where an index repeats PyTorch writes the (same) value once: the sum is divided by the count there.
 */
function maxUnpoolNd(fn: string, dims: number, input: Tensor, indices: Tensor, args: unknown[]): Tensor {
  const o = bindArgs<KernelSize & MaxUnpoolOptions>({ fn, required: ['kernelSize'], positional: ['stride', 'padding', 'outputSize'] }, args);
  const kernel = perDim('kernel_size', o.kernelSize, dims, 'pooling');
  const stride = o.stride === undefined || o.stride === null ? kernel : perDim('stride', o.stride, dims, 'pooling');
  const pad = perDim('padding', o.padding ?? 0, dims, 'pooling');
  if (input.ndim !== dims + 1 && input.ndim !== dims + 2) {
    // PyTorch's kernel is 2-D or 3-D; the 1-D unpool runs it on `[..., L, 1]`.
    const [kernelDims, rank] = dims === 1 ? [2, input.ndim + 1] : [dims, input.ndim];
    throw new RangeError(`Input to max_unpooling${kernelDims}d should be a ${kernelDims + 1}d or ${kernelDims + 2}d Tensor, but got a tensor with ${rank} dimensions.`);
  }
  if (indices.dtype !== 'int64') throw new TypeError(`elements in indices should be type int64 but got: ${indices.dtype}`);
  if (indices.ndim !== input.ndim || indices.shape.some((s, i) => s !== input.shape[i])) {
    throw new RangeError(`Expected shape of indices to be same as that of the input tensor (${input.shape.join(', ')}) but got indices tensor with shape: (${indices.shape.join(', ')})`);
  }
  const size = unpoolOutputSize(input, kernel, stride, pad, o.outputSize);
  const lead = input.shape.slice(0, input.ndim - dims);
  const rows = lead.reduce((a, b) => a * b, 1);
  const windows = input.numel() / Math.max(rows, 1);
  const [index, src] = [indices.reshape([rows, windows]), input.reshape([rows, windows])];
  const plane = size.reduce((a, b) => a * b, 1);
  const repeat = indicesRepeat(indices, size, windows, dims);
  let out = scatterAddZeros([rows, plane], 1, index, src);
  if (repeat) {
    // The value is the sum over the pick count; the gradient stays the sum's, reaching every pick as PyTorch's.
    const count = scatterAddZeros([rows, plane], 1, index, ones(src.shape, { dtype: src.dtype, device: src.device })).clamp(1, null);
    out = out.sub(out.detach()).add(out.detach().div(count));
  }
  return out.reshape([...lead, ...size]);
}

/** As `F.max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`. */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<MaxUnpoolArgs, MaxUnpoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.maxUnpool1d(x, i, { kernelSize: 2 })`. */
export function maxUnpool1d(input: Tensor, indices: Tensor, options: MaxUnpoolOptions & KernelSize): Tensor;
export function maxUnpool1d(input: Tensor, indices: Tensor, ...args: unknown[]): Tensor {
  return presentAs(maxUnpoolNd('max_unpool1d', 1, input, indices, args), 'SqueezeBackward1', [input]);
}

/** As `F.max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`. */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<MaxUnpoolArgs, MaxUnpoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.maxUnpool2d(x, i, { kernelSize: 2 })`. */
export function maxUnpool2d(input: Tensor, indices: Tensor, options: MaxUnpoolOptions & KernelSize): Tensor;
export function maxUnpool2d(input: Tensor, indices: Tensor, ...args: unknown[]): Tensor {
  return presentAs(maxUnpoolNd('max_unpool2d', 2, input, indices, args), 'MaxUnpool2DBackward0', [input]);
}

/** As `F.max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None)`. */
export function maxUnpool3d(input: Tensor, indices: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<MaxUnpoolArgs, MaxUnpoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.maxUnpool3d(x, i, { kernelSize: 2 })`. */
export function maxUnpool3d(input: Tensor, indices: Tensor, options: MaxUnpoolOptions & KernelSize): Tensor;
export function maxUnpool3d(input: Tensor, indices: Tensor, ...args: unknown[]): Tensor {
  return presentAs(maxUnpoolNd('max_unpool3d', 3, input, indices, args), 'MaxUnpool3DBackward0', [input]);
}
