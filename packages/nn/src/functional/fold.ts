import { presentAs, tensor, zeros, type ArgsThenOptions, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { pad } from './pad.js';

/** One size for both spatial dims, or `[height, width]`. */
export type PairArg = number | readonly number[];

/** `F.unfold`'s and `F.fold`'s arguments after the kernel size, by keyword. */
export interface SlidingBlockOptions {
  dilation?: PairArg;
  padding?: PairArg;
  stride?: PairArg;
}

type SlidingBlockPositional = [dilation: PairArg, padding: PairArg, stride: PairArg];

const pair = (v: PairArg): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);
const shown = ([a, b]: readonly number[]) => `(${a}, ${b})`;

interface Blocks {
  kernel: [number, number];
  dilation: [number, number];
  padding: [number, number];
  stride: [number, number];
}

function blocksOf(kernelSize: PairArg, o: SlidingBlockOptions): Blocks {
  const b = { kernel: pair(kernelSize), dilation: pair(o.dilation ?? 1), padding: pair(o.padding ?? 0), stride: pair(o.stride ?? 1) };
  const [kh, kw] = b.kernel;
  if (kh <= 0 || kw <= 0) throw new Error(`kernel size should be greater than zero, but got kernel_height: ${kh} kernel_width: ${kw}`);
  const [sh, sw] = b.stride;
  if (sh <= 0 || sw <= 0) throw new Error(`stride should be greater than zero, but got stride_height: ${sh} stride_width: ${sw}`);
  const [dh, dw] = b.dilation;
  if (dh <= 0 || dw <= 0) throw new Error(`dilation should be greater than zero, but got dilation_height: ${dh} dilation_width: ${dw}`);
  const [ph, pw] = b.padding;
  if (ph < 0 || pw < 0) throw new Error(`padding should be non-negative, but got pad_height: ${ph} pad_width: ${pw}`);
  return b;
}

/** The number of block positions along one dim. */
const count = (size: number, k: number, d: number, p: number, s: number) => Math.floor((size + 2 * p - (d * (k - 1) + 1)) / s) + 1;

/**
 * For each kernel offset (row-major) and block position (row-major), the flat index into the padded `[H, W]`
 * plane: a host table, so the gather (unfold) and the scatter-add (fold) run on any device.
 */
function blockIndex(b: Blocks, height: number, width: number, device: Tensor['device']): { index: Tensor; blocks: number } {
  const [kh, kw] = b.kernel;
  const [dh, dw] = b.dilation;
  const [sh, sw] = b.stride;
  const oh = count(height, kh, dh, b.padding[0], sh);
  const ow = count(width, kw, dw, b.padding[1], sw);
  const paddedWidth = width + 2 * b.padding[1];
  const table = new Int32Array(kh * kw * oh * ow);
  let at = 0;
  for (let ki = 0; ki < kh; ki++)
    for (let kj = 0; kj < kw; kj++)
      for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) table[at++] = (i * sh + ki * dh) * paddedWidth + j * sw + kj * dw;
  return { index: tensor(Array.from(table), { dtype: 'int64', device }), blocks: oh * ow };
}

/**
 * The sliding `kernelSize` blocks of a `[N, C, H, W]` (or `[C, H, W]`) input as columns `[N, C * kh * kw, L]`,
 * as `F.unfold` (im2col): an `indexSelect` of the padded input, so its gradient is the scatter-add.
 */
export function unfold(input: Tensor, kernelSize: PairArg, ...args: ArgsThenOptions<SlidingBlockPositional, SlidingBlockOptions>): Tensor {
  const o = bindArgs<SlidingBlockOptions>({ fn: 'unfold', required: 2, positional: ['dilation', 'padding', 'stride'] }, args);
  if (input.ndim < 3) throw new RangeError(`Dimension out of range (expected to be in range of [${-input.ndim}, ${input.ndim - 1}], but got 2)`);
  const b = blocksOf(kernelSize, o);
  if ((input.ndim !== 3 && input.ndim !== 4) || input.shape.slice(input.ndim - 3).some((s) => s === 0)) {
    throw new Error(`Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for input, but got: [${input.shape.join(', ')}]`);
  }
  const batched = input.ndim === 4 ? input : input.unsqueeze(0);
  const [n, c, h, w] = batched.shape;
  const oh = count(h, b.kernel[0], b.dilation[0], b.padding[0], b.stride[0]);
  const ow = count(w, b.kernel[1], b.dilation[1], b.padding[1], b.stride[1]);
  if (oh < 1 || ow < 1) {
    // PyTorch prints the height twice.
    throw new Error(
      `Given input with spatial size (${h}, ${h}), kernel_size=${shown(b.kernel)}, dilation=${shown(b.dilation)}, padding=${shown(b.padding)}, calculated shape of the array of sliding blocks as (${oh}, ${ow}), but its components must be at least one.`,
    );
  }
  const [ph, pw] = b.padding;
  const padded = ph > 0 || pw > 0 ? pad(batched, [pw, pw, ph, ph]) : batched;
  const { index, blocks } = blockIndex(b, h, w, input.device);
  const k = b.kernel[0] * b.kernel[1];
  const cols = padded.reshape([n, c, (h + 2 * ph) * (w + 2 * pw)]).indexSelect(2, index).reshape([n, c * k, blocks]);
  return presentAs(input.ndim === 4 ? cols : cols.squeeze(0), 'Im2ColBackward0', [input]);
}

/**
 * Columns `[N, C * kh * kw, L]` (or `[C * kh * kw, L]`) summed back into an `outputSize` image, as `F.fold`
 * (col2im): an `indexAdd` into the padded image, cropped, so its gradient is the gather.
 */
export function fold(
  input: Tensor,
  outputSize: PairArg,
  kernelSize: PairArg,
  ...args: ArgsThenOptions<SlidingBlockPositional, SlidingBlockOptions>
): Tensor {
  const o = bindArgs<SlidingBlockOptions>({ fn: 'fold', required: 3, positional: ['dilation', 'padding', 'stride'] }, args);
  const b = blocksOf(kernelSize, o);
  if ((input.ndim !== 2 && input.ndim !== 3) || input.shape.slice(input.ndim - 2).some((s) => s === 0)) {
    throw new Error(`Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions for input, but got: [${input.shape.join(', ')}]`);
  }
  const batched = input.ndim === 3 ? input : input.unsqueeze(0);
  const [n, ck, l] = batched.shape;
  const dim = input.ndim - 2;
  const k = b.kernel[0] * b.kernel[1];
  if (ck % k !== 0) {
    throw new Error(
      `Expected size of input's dimension ${dim} to be divisible by the product of kernel_size, but got input.size(${dim})=${ck} and kernel_size=${shown(b.kernel)}.`,
    );
  }
  const [h, w] = pair(outputSize);
  const oh = count(h, b.kernel[0], b.dilation[0], b.padding[0], b.stride[0]);
  const ow = count(w, b.kernel[1], b.dilation[1], b.padding[1], b.stride[1]);
  const params = `Given output_size=${shown([h, w])}, kernel_size=${shown(b.kernel)}, dilation=${shown(b.dilation)}, padding=${shown(b.padding)}, stride=${shown(b.stride)}`;
  if (oh < 1 || ow < 1) throw new Error(`${params}, calculated shape of the array of sliding blocks as (${oh}, ${ow}), which is too small (non-positive)`);
  if (oh * ow !== l) {
    throw new Error(`${params}, expected size of input's dimension ${dim + 1} to match the calculated number of sliding blocks ${oh} * ${ow} = ${oh * ow}, but got input.size(${dim + 1})=${l}.`);
  }
  const [ph, pw] = b.padding;
  const c = ck / k;
  const { index } = blockIndex(b, h, w, input.device);
  const image = zeros([n, c, (h + 2 * ph) * (w + 2 * pw)], { dtype: input.dtype, device: input.device })
    .indexAdd(2, index, batched.reshape([n, c, k * l]))
    .reshape([n, c, h + 2 * ph, w + 2 * pw])
    .narrow(2, ph, h)
    .narrow(3, pw, w);
  return presentAs(input.ndim === 3 ? image : image.squeeze(0), 'Col2ImBackward0', [input]);
}
