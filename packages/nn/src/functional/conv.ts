import { bindArgs, presentAs, scatterAddZeros, unfoldMatmul, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { batched, perDim, sizes, slidingOutput, type IntOrTuple } from './conv-args.js';
import { slidingDim, windowSource, windowTable, type WindowTable } from './windows.js';

export type ConvPadding = IntOrTuple | 'same' | 'valid';

export interface ConvOptions {
  stride?: IntOrTuple;
  padding?: ConvPadding;
  dilation?: IntOrTuple;
  groups?: number;
}

export interface ConvTransposeOptions {
  stride?: IntOrTuple;
  padding?: IntOrTuple;
  outputPadding?: IntOrTuple;
  groups?: number;
  dilation?: IntOrTuple;
}

/** The bias, which PyTorch also takes by keyword: `F.conv2d(x, w, bias=None, padding=1)`. */
export interface BiasOption {
  bias?: Tensor | null;
}

type ConvArgs = [bias: Tensor | null, stride: IntOrTuple, padding: ConvPadding, dilation: IntOrTuple, groups: number];
type ConvTransposeArgs = [bias: Tensor | null, stride: IntOrTuple, padding: IntOrTuple, outputPadding: IntOrTuple, groups: number, dilation: IntOrTuple];
const CONV_KEYS = ['stride', 'padding', 'dilation', 'groups'];
const CONV_TRANSPOSE_KEYS = ['stride', 'padding', 'outputPadding', 'groups', 'dilation'];

/** PyTorch's checks on groups and channels, with its messages. */
function checkChannels(input: Tensor, weight: Tensor, groups: number, transposed: boolean): void {
  const dims = input.ndim;
  if (weight.ndim !== dims) {
    throw new RangeError(
      `Expected ${weight.ndim}-dimensional input for ${weight.ndim}-dimensional weight ${sizes(weight.shape)}, but got ${dims}-dimensional input of size ${sizes(input.shape)} instead`,
    );
  }
  if (!Number.isInteger(groups) || groups <= 0) throw new RangeError('non-positive groups is not supported');
  if (!transposed && weight.shape[0] % groups !== 0) {
    throw new RangeError(
      `Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size [${sizes(weight.shape)}] instead`,
    );
  }
  const expected = transposed ? weight.shape[0] : weight.shape[1] * groups;
  if (input.shape[1] !== expected) {
    throw new RangeError(
      `Given ${transposed ? 'transposed=1' : `groups=${groups}`}, weight of size ${sizes(weight.shape)}, expected input${sizes(input.shape)} to have ${expected} channels, but got ${input.shape[1]} channels instead`,
    );
  }
}

/** Padding before and after each spatial dim: symmetric ints, none for 'valid', and for 'same' the total split with the extra on the right. */
function convPadding(padding: ConvPadding, kernel: number[], stride: number[], dilation: number[], dims: number): [number[], number[]] {
  if (padding === 'valid') return [new Array(dims).fill(0), new Array(dims).fill(0)];
  if (padding === 'same') {
    if (stride.some((s) => s !== 1)) throw new RangeError("padding='same' is not supported for strided convolutions");
    const total = kernel.map((k, d) => dilation[d] * (k - 1));
    const before = total.map((t) => Math.floor(t / 2));
    return [before, total.map((t, d) => t - before[d])];
  }
  if (typeof padding === 'string') {
    throw new RangeError(`Invalid padding string: '${padding}'`);
  }
  const p = perDim('padding', padding, dims);
  if (p.some((v) => v < 0)) throw new RangeError('negative padding is not supported');
  return [p, p];
}

interface ConvGeometry {
  table: WindowTable;
  output: number[];
}

function geometry(kind: string, input: Tensor, kernel: number[], stride: number[], dilation: number[], before: number[], after: number[]): ConvGeometry {
  const spatial = input.shape.slice(2);
  if (stride.some((s) => s <= 0)) throw new RangeError('non-positive stride is not supported');
  if (dilation.some((d) => d <= 0)) throw new RangeError('dilation should be greater than zero');
  const padded = spatial.map((s, d) => s + before[d] + after[d]);
  const dilated = kernel.map((k, d) => dilation[d] * (k - 1) + 1);
  if (padded.some((p, d) => p < dilated[d])) {
    throw new RangeError(
      `Calculated padded input size per channel: (${padded.join(' x ')}). Kernel size: (${dilated.join(' x ')}). Kernel size can't be greater than actual input size`,
    );
  }
  const output = spatial.map((s, d) => slidingOutput(s, before[d] + after[d], kernel[d], stride[d], dilation[d]));
  const windowDims = spatial.map((s, d) => slidingDim(s, output[d], kernel[d], stride[d], dilation[d], before[d]));
  const table = windowTable(kind, 'kernelMajor', input.shape[1], windowDims, [spatial, kernel, stride, dilation, before]);
  return { table, output };
}

function convNd(fn: string, dims: number, input: Tensor, weight: Tensor, args: unknown[]): Tensor {
  const options = bindArgs<ConvOptions & BiasOption>({ fn, required: 2, positional: ['bias', ...CONV_KEYS] }, args);
  const bias = options.bias ?? null;
  const b = batched(fn, input, dims);
  const x = b.input;
  const g = options.groups ?? 1;
  checkChannels(x, weight, g, false);
  const kernel = weight.shape.slice(2);
  const stride = perDim('stride', options.stride ?? 1, dims);
  const dil = perDim('dilation', options.dilation ?? 1, dims);
  const [before, after] = convPadding(options.padding ?? 0, kernel, stride, dil, dims);
  const { table, output } = geometry('conv', x, kernel, stride, dil, before, after);
  const n = x.shape[0];
  const outChannels = weight.shape[0];
  // Each group's window rows are contiguous in the table (channel-major), so one product does every group.
  const perGroup = (x.shape[1] / g) * table.kernel;
  const w = weight.reshape([g, outChannels / g, perGroup]);
  const reads = table.indexOn(x.device, 'int32');
  // The readers table only serves backends that gather the input gradient (no fused col2im), when it is needed.
  const readers = x.requiresGrad && !x.device.supports('unfoldMatmulInputGrad') ? table.readers(x.device) : null;
  // A stride-1 convolution tells the backend its shape, for direct kernels that read the windows without the table.
  const direct = stride.every((s) => s === 1) ? { channels: x.shape[1], input: x.shape.slice(2), before, after, kernel, dilation: dil } : null;
  const out = unfoldMatmul(w, windowSource(x, table, 0), reads.reshape([reads.numel()]), { bias, shape: [n, outChannels, ...output], readers, geometry: direct });
  return b.unbatched ? out.squeeze(0) : out;
}

/** 1-D convolution over `[N, C, L]` (or `[C, L]`), as `F.conv1d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv1d(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<ConvArgs, ConvOptions & BiasOption>): Tensor {
  return convNd('conv1d', 1, input, weight, args);
}

/** 2-D convolution over `[N, C, H, W]` (or `[C, H, W]`), as `F.conv2d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv2d(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<ConvArgs, ConvOptions & BiasOption>): Tensor {
  return convNd('conv2d', 2, input, weight, args);
}

/** 3-D convolution over `[N, C, D, H, W]` (or `[C, D, H, W]`), as `F.conv3d(input, weight, bias, stride, padding, dilation, groups)`. */
export function conv3d(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<ConvArgs, ConvOptions & BiasOption>): Tensor {
  return convNd('conv3d', 3, input, weight, args);
}

function convTransposeNd(fn: string, dims: number, input: Tensor, weight: Tensor, args: unknown[]): Tensor {
  const options = bindArgs<ConvTransposeOptions & BiasOption>({ fn, required: 2, positional: ['bias', ...CONV_TRANSPOSE_KEYS] }, args);
  const bias = options.bias ?? null;
  const b = batched(fn, input, dims);
  const x = b.input;
  const g = options.groups ?? 1;
  checkChannels(x, weight, g, true);
  const kernel = weight.shape.slice(2);
  const stride = perDim('stride', options.stride ?? 1, dims);
  const dil = perDim('dilation', options.dilation ?? 1, dims);
  const pad = perDim('padding', options.padding ?? 0, dims);
  const outPad = perDim('output_padding', options.outputPadding ?? 0, dims);
  if (pad.some((p) => p < 0)) throw new RangeError('negative padding is not supported');
  if (outPad.some((p, d) => p >= stride[d] && p >= dil[d])) {
    const names = ['depth', 'height', 'width'].slice(3 - dims);
    const list = (what: string, v: number[]) => names.map((name, d) => `${what}_${name}: ${v[d]}`).join(' ');
    throw new RangeError(
      `output padding must be smaller than either stride or dilation, but got ${list('output_padding', outPad)} ${list('stride', stride)} ${list('dilation', dil)}`,
    );
  }
  const n = x.shape[0];
  const inSpatial = x.shape.slice(2);
  const output = inSpatial.map((s, d) => (s - 1) * stride[d] - 2 * pad[d] + dil[d] * (kernel[d] - 1) + outPad[d] + 1);
  if (output.some((o) => o <= 0)) throw new RangeError(`Given input size per channel: (${inSpatial.join(' x ')}), calculated output size is not positive: (${output.join(' x ')})`);
  const outChannels = weight.shape[1] * g;
  // The transposed convolution is the adjoint of a convolution from the output's shape to the input's: columns
  // W^T x, then added back into place (col2im) through the same window table.
  const windowDims = output.map((o, d) => slidingDim(o, inSpatial[d], kernel[d], stride[d], dil[d], pad[d]));
  const table = windowTable('conv', 'kernelMajor', outChannels, windowDims, [output, kernel, stride, dil, pad]);
  const inPerGroup = x.shape[1] / g;
  const w = weight.reshape([g, inPerGroup, (outChannels / g) * table.kernel]).transpose(1, 2);
  const columns = w.matmul(x.reshape([n, g, inPerGroup, table.positions])).reshape([n, outChannels * table.kernel * table.positions]);
  const index = table.indexOn(x.device).expand([n, columns.shape[1]]);
  const flat = outChannels * table.spatial;
  let out = scatterAddZeros([n, flat + 1], 1, index, columns).narrow(1, 0, flat).reshape([n, outChannels, ...output]);
  if (bias) out = out.add(bias.reshape([outChannels, ...new Array<number>(dims).fill(1)]));
  out = presentAs(out, 'ConvolutionBackward0', [x, weight, bias]);
  return b.unbatched ? out.squeeze(0) : out;
}

/** As `F.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)`. */
export function convTranspose1d(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<ConvTransposeArgs, ConvTransposeOptions & BiasOption>): Tensor {
  return convTransposeNd('conv_transpose1d', 1, input, weight, args);
}

/** As `F.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)`; weight `[C_in, C_out / groups, kH, kW]`. */
export function convTranspose2d(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<ConvTransposeArgs, ConvTransposeOptions & BiasOption>): Tensor {
  return convTransposeNd('conv_transpose2d', 2, input, weight, args);
}

/** As `F.conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups, dilation)`; weight `[C_in, C_out / groups, kD, kH, kW]`. */
export function convTranspose3d(input: Tensor, weight: Tensor, ...args: ArgsThenOptions<ConvTransposeArgs, ConvTransposeOptions & BiasOption>): Tensor {
  return convTransposeNd('conv_transpose3d', 3, input, weight, args);
}
