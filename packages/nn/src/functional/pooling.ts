import { bindArgs, gatherChecked, tensor, windowArgmax, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { perDim, type IntOrTuple } from './conv-args.js';
import { adaptiveDim, slidingDim, windowColumns, windowSource, windowTable, type WindowDim, type WindowTable } from './windows.js';
import { presentAs } from '@descent/tensor';

export interface MaxPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  dilation?: IntOrTuple;
  ceilMode?: boolean;
  returnIndices?: boolean;
}

export interface AvgPoolOptions {
  stride?: IntOrTuple | null;
  padding?: IntOrTuple;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

/** Pooling's required argument, which PyTorch also takes by keyword: `F.max_pool2d(x, kernel_size=2)`. */
export interface KernelSize {
  kernelSize: IntOrTuple;
}

const KERNEL = ['kernelSize'];
type MaxPoolArgs = [stride: IntOrTuple | null, padding: IntOrTuple, dilation: IntOrTuple, ceilMode: boolean, returnIndices: boolean];
type AvgPoolArgs1d = [stride: IntOrTuple | null, padding: IntOrTuple, ceilMode: boolean, countIncludePad: boolean];
const MAX_POOL_KEYS = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'];
const AVG_POOL_KEYS = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'];

/** `[N, C, ...spatial]` or unbatched `[C, ...spatial]`, with PyTorch's message for anything else. */
function poolInput(input: Tensor, dims: number, message: string): { x: Tensor; unbatched: boolean } {
  if (input.ndim === dims + 2 && input.numel() > 0) return { x: input, unbatched: false };
  if (input.ndim === dims + 1 && input.numel() > 0) return { x: input.unsqueeze(0), unbatched: true };
  throw new RangeError(message);
}

/** The 2-D and 3-D pools' message for input of the wrong rank. */
const batchModeMessage = (dims: number) => `non-empty ${dims + 1}D or ${dims + 2}D (batch mode) tensor expected for input`;

/** PyTorch's `pooling_output_shape`: floor, or ceil where the last window still starts inside the input or left padding. */
function poolOutput(input: number, kernel: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  let out = Math.floor((input + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= input + pad) out--;
  return out;
}

interface PoolGeometry {
  table: WindowTable;
  output: number[];
}

function poolGeometry(
  fn: string,
  x: Tensor,
  kernel: number[],
  stride: number[],
  pad: number[],
  dilation: number[],
  ceilMode: boolean,
): PoolGeometry {
  const dims = kernel.length;
  if (stride.some((s) => s === 0)) throw new RangeError('stride should not be zero');
  if (dilation.some((d) => d <= 0)) {
    const names = ['T', 'H', 'W'].slice(3 - dims);
    throw new RangeError(`dilation should be greater than zero, but got ${names.map((n, d) => `dilation${n}: ${dilation[d]}`).join(' ')}`);
  }
  if (pad.some((p, d) => p > kernel[d] / 2)) {
    throw new RangeError(
      fn === 'max_pool1d'
        ? `max_pool1d() padding should be at most half of kernel size, but got padding=${pad[0]} and kernel_size=${kernel[0]}`
        : `pad should be at most half of kernel size, but got pad=${pad[0]} and kernel_size=${kernel[0]}`,
    );
  }
  const spatial = x.shape.slice(2);
  const output = spatial.map((s, d) => poolOutput(s, kernel[d], pad[d], stride[d], dilation[d], ceilMode));
  if (output.some((o) => o < 1)) {
    throw new RangeError(
      `Given input size: (${x.shape.slice(1).join('x')}). Calculated output size: (${[x.shape[1], ...output].join('x')}). Output size is too small`,
    );
  }
  const windowDims = spatial.map((s, d) => slidingDim(s, output[d], kernel[d], stride[d], dilation[d], pad[d]));
  return { table: windowTable('pool', 'windowMajor', x.shape[1], windowDims, [spatial, kernel, stride, dilation, pad]), output };
}

/**
 * Max over each window, and (if asked) the flat input index it came from. The winner of each window (the first
 * largest, NaN counting as largest, as PyTorch's kernel picks) is found without recording, in one pass where the
 * backend has `windowArgmax`; the output is then one differentiable gather of the input at the winners, so the
 * gradient is one scatter-add back into the input.
 */
function windowMax(x: Tensor, table: WindowTable, output: number[], unbatched: boolean, returnIndices: boolean): Tensor | [Tensor, Tensor] {
  const [n, c] = x.shape;
  const padded = windowSource(x, table, -Infinity);
  const winners = windowArgmax(padded.detach(), table.indexOn(x.device, 'int32'), table.kernel); // [N, C * L] into `padded`
  const shape = unbatched ? [c, ...output] : [n, c, ...output];
  const out = gatherChecked(padded, 1, winners).reshape(shape); // int32 winners (the table's dtype)
  if (!returnIndices) return out;
  // PyTorch's indices count within each channel's plane: the flat index less the channel's start.
  const planeStart = new Int32Array(c * table.positions);
  for (let ch = 0; ch < c; ch++) planeStart.fill(ch * table.spatial, ch * table.positions, (ch + 1) * table.positions);
  return [out, winners.sub(tensor(planeStart, { dtype: 'int64', device: x.device }).reshape([1, planeStart.length])).reshape(shape)];
}

function maxPoolNd(fn: string, dims: number, input: Tensor, args: unknown[]): Tensor | [Tensor, Tensor] {
  const o = bindArgs<KernelSize & MaxPoolOptions>({ fn, required: KERNEL, positional: MAX_POOL_KEYS }, args);
  const kernelSize = o.kernelSize;
  const message = dims === 1 ? `max_pool1d() Expected 2D or 3D input tensor, but got ${JSON.stringify(input.shape)}` : batchModeMessage(dims);
  const { x, unbatched } = poolInput(input, dims, message);
  const kernel = perDim('kernel_size', kernelSize, dims, 'pooling');
  const stride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? kernel : perDim('stride', o.stride, dims, 'pooling');
  const pad = perDim('padding', o.padding ?? 0, dims, 'pooling');
  const dil = perDim('dilation', o.dilation ?? 1, dims, 'pooling');
  const { table, output } = poolGeometry(fn, x, kernel, stride, pad, dil, o.ceilMode ?? false);
  return windowMax(x, table, output, unbatched, o.returnIndices ?? false);
}

/** A pooled output (and its indices) with the grad_fn PyTorch's kernel prints (`MaxPool2DWithIndicesBackward0`). */
function presentPooled(result: Tensor | [Tensor, Tensor], name: string, input: Tensor): Tensor | [Tensor, Tensor] {
  return Array.isArray(result) ? [presentAs(result[0], name, [input]), result[1]] : presentAs(result, name, [input]);
}

/** As `F.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)`; with `returnIndices`, `[output, indices]`. */
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, options: MaxPoolOptions & KernelSize & { returnIndices: true }): [Tensor, Tensor];
export function maxPool1d(input: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<MaxPoolArgs, MaxPoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.maxPool1d(x, { kernelSize: 2 })`. */
export function maxPool1d(input: Tensor, options: MaxPoolOptions & KernelSize): Tensor;
export function maxPool1d(input: Tensor, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  return presentPooled(maxPoolNd('max_pool1d', 1, input, args), 'SqueezeBackward1', input);
}

/** As `F.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)`; with `returnIndices`, `[output, indices]`. */
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, options: MaxPoolOptions & KernelSize & { returnIndices: true }): [Tensor, Tensor];
export function maxPool2d(input: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<MaxPoolArgs, MaxPoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.maxPool2d(x, { kernelSize: 2 })`. */
export function maxPool2d(input: Tensor, options: MaxPoolOptions & KernelSize): Tensor;
export function maxPool2d(input: Tensor, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  return presentPooled(maxPoolNd('max_pool2d', 2, input, args), 'MaxPool2DWithIndicesBackward0', input);
}

/** As `F.max_pool3d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)`; with `returnIndices`, `[output, indices]`. */
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, options: MaxPoolOptions & { returnIndices: true }): [Tensor, Tensor];
export function maxPool3d(input: Tensor, options: MaxPoolOptions & KernelSize & { returnIndices: true }): [Tensor, Tensor];
export function maxPool3d(input: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<MaxPoolArgs, MaxPoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.maxPool3d(x, { kernelSize: 2 })`. */
export function maxPool3d(input: Tensor, options: MaxPoolOptions & KernelSize): Tensor;
export function maxPool3d(input: Tensor, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  return presentPooled(maxPoolNd('max_pool3d', 3, input, args), 'MaxPool3DWithIndicesBackward0', input);
}

/** PyTorch's per-window divisor: the window clipped to the padded input, or to the input without `countIncludePad`. */
function avgDivisors(spatial: number[], output: number[], kernel: number[], stride: number[], pad: number[], countIncludePad: boolean): Float32Array {
  const perDimDivisor = spatial.map((size, d) =>
    Array.from({ length: output[d] }, (_, o) => {
      let start = o * stride[d] - pad[d];
      let end = Math.min(start + kernel[d], size + pad[d]);
      const withPad = end - start;
      start = Math.max(start, 0);
      end = Math.min(end, size);
      return countIncludePad ? withPad : end - start;
    }),
  );
  const count = output.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let rem = i;
    let divisor = 1;
    for (let d = output.length - 1; d >= 0; d--) {
      divisor *= perDimDivisor[d][rem % output[d]];
      rem = Math.floor(rem / output[d]);
    }
    out[i] = divisor;
  }
  return out;
}

function avgPoolNd(fn: string, dims: number, input: Tensor, args: unknown[]): Tensor {
  const positional = dims === 1 ? AVG_POOL_KEYS.slice(0, 4) : AVG_POOL_KEYS;
  const o = bindArgs<KernelSize & AvgPoolOptions>({ fn, required: KERNEL, positional }, args);
  const kernelSize = o.kernelSize;
  const message = dims === 1 ? `avg_pool1d() Expected 2D or 3D input tensor, but got ${JSON.stringify(input.shape)}` : batchModeMessage(dims);
  const { x, unbatched } = poolInput(input, dims, message);
  const kernel = perDim('kernel_size', kernelSize, dims, 'pooling');
  const stride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0) ? kernel : perDim('stride', o.stride, dims, 'pooling');
  const pad = perDim('padding', o.padding ?? 0, dims, 'pooling');
  if (o.divisorOverride === 0) throw new RangeError('divisor must be not zero');
  const spatial = x.shape.slice(2);
  if (dims === 3 && spatial.some((size, d) => size < kernel[d])) {
    // avg_pool3d checks the unpadded input against the kernel first, with its own message.
    const [t, h, w] = spatial;
    throw new RangeError(`input image (T: ${t} H: ${h} W: ${w}) smaller than kernel size (kT: ${kernel[0]} kH: ${kernel[1]} kW: ${kernel[2]})`);
  }
  const { table, output } = poolGeometry(fn, x, kernel, stride, pad, new Array<number>(dims).fill(1), o.ceilMode ?? false);
  const [n, c] = x.shape;
  const sums = windowColumns(x, table, 0).sum(3);
  const divisor =
    o.divisorOverride !== undefined && o.divisorOverride !== null
      ? o.divisorOverride
      : tensor(avgDivisors(x.shape.slice(2), output, kernel, stride, pad, o.countIncludePad ?? true), { device: x.device, dtype: x.dtype });
  const out = sums.div(divisor);
  return out.reshape(unbatched ? [c, ...output] : [n, c, ...output]);
}

/** As `F.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)`. */
export function avgPool1d(input: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<AvgPoolArgs1d, Omit<AvgPoolOptions, 'divisorOverride'>>): Tensor;
/** `kernelSize` by keyword too: `F.avgPool1d(x, { kernelSize: 2 })`. */
export function avgPool1d(input: Tensor, options: Omit<AvgPoolOptions, 'divisorOverride'> & KernelSize): Tensor;
export function avgPool1d(input: Tensor, ...args: unknown[]): Tensor {
  return presentAs(avgPoolNd('avg_pool1d', 1, input, args), 'SqueezeBackward1', [input]);
}

/** As `F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)`. */
export function avgPool2d(input: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<[...AvgPoolArgs1d, divisorOverride: number | null], AvgPoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.avgPool2d(x, { kernelSize: 2 })`. */
export function avgPool2d(input: Tensor, options: AvgPoolOptions & KernelSize): Tensor;
export function avgPool2d(input: Tensor, ...args: unknown[]): Tensor {
  return presentAs(avgPoolNd('avg_pool2d', 2, input, args), 'AvgPool2DBackward0', [input]);
}

/** As `F.avg_pool3d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)`. */
export function avgPool3d(input: Tensor, kernelSize: IntOrTuple, ...args: ArgsThenOptions<[...AvgPoolArgs1d, divisorOverride: number | null], AvgPoolOptions>): Tensor;
/** `kernelSize` by keyword too: `F.avgPool3d(x, { kernelSize: 2 })`. */
export function avgPool3d(input: Tensor, options: AvgPoolOptions & KernelSize): Tensor;
export function avgPool3d(input: Tensor, ...args: unknown[]): Tensor {
  return presentAs(avgPoolNd('avg_pool3d', 3, input, args), 'AvgPool3DBackward0', [input]);
}

/** `int | (int | null)[]`: an output size per dim, null keeping the input's. */
export type AdaptiveSize = number | readonly (number | null)[];

function adaptiveGeometry(fn: string, input: Tensor, outputSize: AdaptiveSize, dims: number): { x: Tensor; unbatched: boolean; table: WindowTable; output: number[]; windowDims: WindowDim[] } {
  const { x, unbatched } = poolInput(input, dims, `${fn}(): Expected ${dims + 1}D or ${dims + 2}D tensor, but got [${input.shape.join(', ')}]`);
  const spatial = x.shape.slice(2);
  const sizes = typeof outputSize === 'number' ? new Array<number | null>(dims).fill(outputSize) : [...outputSize];
  if (sizes.length !== dims) throw new RangeError(`${fn}: output_size must be ${dims}`);
  const output = sizes.map((s, d) => (s === null ? spatial[d] : s));
  if (output.some((o) => !Number.isInteger(o) || o < 0)) throw new RangeError(`${fn}: elements of output_size must be greater than or equal to 0`);
  const windowDims = spatial.map((s, d) => adaptiveDim(s, output[d]));
  return { x, unbatched, output, windowDims, table: windowTable('adaptive', 'windowMajor', x.shape[1], windowDims, [spatial, output]) };
}

function adaptiveAvgPoolNd(fn: string, dims: number, input: Tensor, outputSize: AdaptiveSize): Tensor {
  const { x, unbatched, table, output, windowDims } = adaptiveGeometry(fn, input, outputSize, dims);
  const [n, c] = x.shape;
  let out = windowColumns(x, table, 0).sum(3).reshape([n, c, ...output]);
  // PyTorch divides the window's sum by its size along each dim in turn.
  windowDims.forEach((w, d) => {
    const sizes = Array.from({ length: w.output }, (_, o) => Math.ceil(((o + 1) * w.input) / w.output) - Math.floor((o * w.input) / w.output));
    const shape = output.map((s, e) => (e === d ? s : 1));
    out = out.div(tensor(Float32Array.from(sizes), { device: x.device, dtype: x.dtype }).reshape(shape));
  });
  // PyTorch's 1-D pool is the 2-D one between an unsqueeze and a squeeze; an output of all ones is a mean.
  const name = dims === 1 ? 'SqueezeBackward1' : output.every((o) => o === 1) ? 'MeanBackward1' : `AdaptiveAvgPool${dims}DBackward0`;
  return presentAs(unbatched ? out.squeeze(0) : out, name, [input]);
}

/** The adaptive pools' size, which PyTorch also takes by keyword: `F.adaptive_avg_pool2d(x, output_size=(1, 1))`. */
export interface OutputSize {
  outputSize: AdaptiveSize;
}

/** `output_size` (and the max pools' `return_indices`) by position or by keyword. */
const bindAdaptive = (fn: string, args: unknown[], max: boolean) =>
  bindArgs<OutputSize & { returnIndices?: boolean }>({ fn, required: ['outputSize'], positional: max ? ['returnIndices'] : [] }, args);

/** As `F.adaptive_avg_pool1d(input, output_size)`. */
export function adaptiveAvgPool1d(input: Tensor, outputSize: AdaptiveSize | OutputSize): Tensor {
  return adaptiveAvgPoolNd('adaptive_avg_pool1d', 1, input, bindAdaptive('adaptive_avg_pool1d', [outputSize], false).outputSize);
}

/** As `F.adaptive_avg_pool2d(input, output_size)`; a null size keeps the input's. */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize | OutputSize): Tensor {
  return adaptiveAvgPoolNd('adaptive_avg_pool2d', 2, input, bindAdaptive('adaptive_avg_pool2d', [outputSize], false).outputSize);
}

/** As `F.adaptive_avg_pool3d(input, output_size)`; a null size keeps the input's. */
export function adaptiveAvgPool3d(input: Tensor, outputSize: AdaptiveSize | OutputSize): Tensor {
  return adaptiveAvgPoolNd('adaptive_avg_pool3d', 3, input, bindAdaptive('adaptive_avg_pool3d', [outputSize], false).outputSize);
}

function adaptiveMaxPoolNd(fn: string, dims: number, input: Tensor, outputSize: AdaptiveSize, returnIndices: boolean): Tensor | [Tensor, Tensor] {
  const { x, unbatched, table, output } = adaptiveGeometry(fn, input, outputSize, dims);
  return presentPooled(windowMax(x, table, output, unbatched, returnIndices), dims === 1 ? 'SqueezeBackward1' : `AdaptiveMaxPool${dims}DBackward0`, input);
}

/** As `F.adaptive_max_pool1d(input, output_size, return_indices)`. */
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize, returnIndices: true | { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, options: OutputSize & { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize | OutputSize, returnIndices?: false | { returnIndices?: false }): Tensor;
export function adaptiveMaxPool1d(input: Tensor, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  const o = bindAdaptive('adaptive_max_pool1d', args, true);
  return adaptiveMaxPoolNd('adaptive_max_pool1d', 1, input, o.outputSize, o.returnIndices ?? false);
}

/** As `F.adaptive_max_pool2d(input, output_size, return_indices)`. */
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize, returnIndices: true | { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, options: OutputSize & { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize | OutputSize, returnIndices?: false | { returnIndices?: false }): Tensor;
export function adaptiveMaxPool2d(input: Tensor, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  const o = bindAdaptive('adaptive_max_pool2d', args, true);
  return adaptiveMaxPoolNd('adaptive_max_pool2d', 2, input, o.outputSize, o.returnIndices ?? false);
}

/** As `F.adaptive_max_pool3d(input, output_size, return_indices)`. */
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize, returnIndices: true | { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, options: OutputSize & { returnIndices: true }): [Tensor, Tensor];
export function adaptiveMaxPool3d(input: Tensor, outputSize: AdaptiveSize | OutputSize, returnIndices?: false | { returnIndices?: false }): Tensor;
export function adaptiveMaxPool3d(input: Tensor, ...args: unknown[]): Tensor | [Tensor, Tensor] {
  const o = bindAdaptive('adaptive_max_pool3d', args, true);
  return adaptiveMaxPoolNd('adaptive_max_pool3d', 3, input, o.outputSize, o.returnIndices ?? false);
}
