import { presentAs, tensor, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { pyFloat, pyTuple } from '../python-repr.js';
import { adaptiveAvgPool1d, adaptiveAvgPool2d } from './pooling.js';

export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'trilinear' | 'bicubic' | 'area';

/** An output size: one for every spatial dim, or one per dim. */
export type SizeArg = number | readonly number[];
/** A multiplier of the spatial size: one for every spatial dim, or one per dim. */
export type ScaleFactorArg = number | readonly number[];

/** `F.interpolate`'s arguments after the input, by keyword. */
export interface InterpolateOptions {
  size?: SizeArg | null;
  scaleFactor?: ScaleFactorArg | null;
  mode?: InterpolateMode;
  alignCorners?: boolean | null;
  recomputeScaleFactor?: boolean | null;
  antialias?: boolean;
}

const INTERPOLATE_ARGS = {
  fn: 'interpolate',
  required: 1,
  positional: ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor', 'antialias'],
};

const f32 = Math.fround;

/** ATen's `compute_scales_value<float>`: `1 / scale_factor` when one was given, else `input / output`. */
function sourceScale(input: number, output: number, scale: number | null): number {
  return scale !== null && scale > 0 ? f32(1 / scale) : f32(input / output);
}

/** The input index each output index reads along one dim: ATen's `nearest` (floor of `i * scale`) or `nearest-exact` (of `(i + 0.5) * scale`). */
function nearestIndices(input: number, output: number, scale: number | null, exact: boolean): Int32Array {
  const s = sourceScale(input, output, scale);
  return Int32Array.from({ length: output }, (_, i) => Math.min(Math.floor(exact ? f32((i + 0.5) * s) : f32(s * i)), input - 1));
}

interface LinearTaps {
  index0: Int32Array;
  index1: Int32Array;
  weight0: Float32Array;
  weight1: Float32Array;
}

/** ATen's `compute_source_index_and_lambda` in float32: the two input indices each output index blends, and their weights. */
function linearTaps(input: number, output: number, alignCorners: boolean, scale: number | null): LinearTaps {
  const taps = { index0: new Int32Array(output), index1: new Int32Array(output), weight0: new Float32Array(output), weight1: new Float32Array(output) };
  const ratio = alignCorners ? (output > 1 ? f32((input - 1) / (output - 1)) : 0) : sourceScale(input, output, scale);
  for (let i = 0; i < output; i++) {
    let source = alignCorners ? f32(ratio * i) : f32(ratio * (i + 0.5) - 0.5);
    if (source < 0) source = 0;
    const i0 = Math.min(Math.trunc(source), input - 1);
    const lambda1 = Math.min(Math.max(f32(source - i0), 0), 1);
    taps.index0[i] = i0;
    taps.index1[i] = i0 < input - 1 ? i0 + 1 : i0;
    taps.weight1[i] = lambda1;
    taps.weight0[i] = f32(1 - lambda1);
  }
  return taps;
}

/** Weights along `dim` of a rank-`rank` tensor: shaped `[1, .., out, .., 1]` to broadcast. */
function alongDim(weights: Float32Array, dim: number, rank: number, like: Tensor): Tensor {
  const shape = Array.from({ length: rank }, (_, d) => (d === dim ? weights.length : 1));
  return tensor(weights, { device: like.device, dtype: like.dtype }).reshape(shape);
}

const indexTensor = (values: Int32Array, like: Tensor): Tensor => tensor(values, { dtype: 'int64', device: like.device });

/**
 * Resamples each spatial dim in turn, the last first (the order in which ATen's kernel nests its sums), with
 * `indexSelect` reads and weighted sums: plain differentiable ops, so the gradient needs no rule of its own.
 */
function resample(x: Tensor, output: number[], scales: (number | null)[], mode: InterpolateMode, alignCorners: boolean): Tensor {
  let out = x;
  for (let d = output.length - 1; d >= 0; d--) {
    const dim = d + 2;
    const input = x.shape[dim];
    if (mode === 'nearest' || mode === 'nearest-exact') {
      out = out.indexSelect(dim, indexTensor(nearestIndices(input, output[d], scales[d], mode === 'nearest-exact'), x));
    } else if (input !== output[d]) {
      // Equal sizes copy (ATen's shortcut), whatever the scale factor.
      const taps = linearTaps(input, output[d], alignCorners, scales[d]);
      const first = out.indexSelect(dim, indexTensor(taps.index0, x)).mul(alongDim(taps.weight0, dim, x.ndim, x));
      out = first.add(out.indexSelect(dim, indexTensor(taps.index1, x)).mul(alongDim(taps.weight1, dim, x.ndim, x)));
    }
  }
  return out;
}

const MODES = 'nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact';
/** The spatial dims each mode takes (0: any of 1 to 3). */
const SPATIAL_DIMS = new Map<string, number>([['nearest', 0], ['nearest-exact', 0], ['area', 0], ['linear', 1], ['bilinear', 2], ['trilinear', 3], ['bicubic', 2]]);
const AXES = ['D', 'H', 'W'];

/** Python's repr of the size or scale factor the caller gave, for the error messages. */
const pyFloats = (values: readonly number[]): string => (values.length === 1 ? `(${pyFloat(values[0])},)` : `(${values.map(pyFloat).join(', ')})`);

/** One value per spatial dim, with PyTorch's error for a tuple of the wrong length. */
function perSpatialDim(input: Tensor, value: number | readonly number[], what: 'size' | 'scale_factor'): number[] {
  const dims = input.ndim - 2;
  if (typeof value === 'number') return new Array<number>(Math.max(dims, 0)).fill(value);
  if (value.length !== dims) {
    const spatial = `[${input.shape.slice(2).join(', ')}]`;
    throw new RangeError(
      what === 'size'
        ? `Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and output size of ${pyTuple(value)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`
        : `Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${spatial} and scale_factor of shape ${pyFloats(value)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`,
    );
  }
  return [...value];
}

/**
 * Down/up-samples the spatial dims of `[N, C, *spatial]` input to `size` or by `scaleFactor`, as
 * `F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None,
 * recompute_scale_factor=None, antialias=False)`. Modes: 'nearest' and 'nearest-exact' (1-3 spatial dims),
 * 'linear' (3-D input), 'bilinear' (4-D), 'trilinear' (5-D), and 'area' (3-D and 4-D, adaptive average pooling).
 * Sizes, source indices and weights follow ATen's float32 formulas, including `1 / scale_factor` as the scale
 * when a scale factor is given and not recomputed.
 */
export function interpolate(
  input: Tensor,
  ...args: ArgsThenOptions<
    [size: SizeArg | null, scaleFactor: ScaleFactorArg | null, mode: InterpolateMode, alignCorners: boolean | null, recomputeScaleFactor: boolean | null, antialias: boolean],
    InterpolateOptions
  >
): Tensor {
  const o = bindArgs<InterpolateOptions>(INTERPOLATE_ARGS, args);
  const mode = o.mode ?? 'nearest';
  let alignCorners = o.alignCorners ?? null;
  if (mode === 'nearest' || mode === 'area' || mode === 'nearest-exact') {
    if (alignCorners !== null) throw new RangeError('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
  } else alignCorners ??= false;
  const size = o.size ?? null;
  const scaleFactor = o.scaleFactor ?? null;
  let output: number[] | null = null;
  let scales: number[] | null = null;
  if (size !== null && scaleFactor !== null) throw new RangeError('only one of size or scale_factor should be defined');
  if (size !== null) output = perSpatialDim(input, size, 'size');
  else if (scaleFactor !== null) scales = perSpatialDim(input, scaleFactor, 'scale_factor');
  else throw new RangeError('either size or scale_factor should be defined');
  let recompute = o.recomputeScaleFactor ?? null;
  if (recompute && size !== null) throw new RangeError('recompute_scale_factor is not meaningful with an explicit size.');
  if (mode === 'area' && output === null) recompute = true;
  if (recompute && scales !== null) {
    output = scales.map((s, d) => Math.floor(input.shape[d + 2] * s));
    scales = null;
  }
  if (o.antialias && !((mode === 'bilinear' || mode === 'bicubic') && input.ndim === 4)) {
    throw new RangeError('Anti-alias option is only supported for bilinear and bicubic modes');
  }
  const dims = input.ndim - 2;
  const wanted = SPATIAL_DIMS.get(mode);
  if (dims < 1 || dims > 3 || wanted === undefined) {
    throw new RangeError(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${input.ndim}D) for the modes: ${MODES} (got ${mode})`);
  }
  if (wanted !== 0 && wanted !== dims) throw new RangeError(`Got ${input.ndim}D input, but ${mode} mode needs ${wanted + 2}D input`);
  if (mode === 'bicubic' || o.antialias) throw new RangeError(`interpolate: mode='${mode}'${o.antialias ? ' with antialias' : ''} is not supported yet`);
  // ATen's output size for a scale factor: the float product truncated.
  const outputSize = output ?? (scales ?? []).map((s, d) => Math.trunc(input.shape[d + 2] * s));
  if (mode === 'area') {
    if (dims === 3) throw new RangeError("interpolate: mode='area' on 5-D input is not supported yet");
    return dims === 1 ? adaptiveAvgPool1d(input, outputSize) : adaptiveAvgPool2d(input, outputSize);
  }
  if (input.numel() === 0) {
    throw new RangeError(`Non-empty ${input.ndim}D data tensor expected but got a tensor with sizes [${input.shape.join(', ')}]`);
  }
  const spatial = input.shape.slice(2);
  if (spatial.some((s) => s <= 0) || outputSize.some((s) => s <= 0)) {
    const axes = AXES.slice(3 - dims);
    const list = (values: readonly number[]) => axes.map((a, d) => `${a}: ${values[d]}`).join(', ');
    throw new RangeError(`Input and output sizes should be greater than 0, but got input (${list(spatial)})${dims === 1 ? ' and' : ''} output (${list(outputSize)})`);
  }
  const out = resample(input, outputSize, scales ?? outputSize.map(() => null), mode, alignCorners ?? false);
  return presentAs(out, `${UPSAMPLE_NAMES[mode]}${dims}DBackward1`, [input]);
}

/** PyTorch's upsample kernels (their `.vec` overloads, which F.interpolate calls: Backward1). */
const UPSAMPLE_NAMES: Record<string, string> = {
  nearest: 'UpsampleNearest', 'nearest-exact': 'UpsampleNearestExact', linear: 'UpsampleLinear', bilinear: 'UpsampleBilinear', trilinear: 'UpsampleTrilinear',
};
