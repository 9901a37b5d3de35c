import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { warnOnce } from '../py-warnings.js';

export interface InplaceOption {
  inplace?: boolean;
}

export interface LeakyReluOptions extends InplaceOption {
  negativeSlope?: number;
}

/** `inplace` by position or in the options object. */
const inplaceArg = (fn: string, args: readonly unknown[]): boolean =>
  bindArgs<InplaceOption>({ fn, required: 1, positional: ['inplace'] }, args).inplace ?? false;

// The inplace forms write through the tensor layer's in-place ops, so the activation's saved input survives the
// write and backward works (as after PyTorch's `relu_` / `leaky_relu_`).

/** As `F.relu(input, inplace=False)`. */
export function relu(input: Tensor, ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>): Tensor {
  return inplaceArg('relu', args) ? input.relu_() : torch.relu(input);
}

/** As `F.leaky_relu(input, negative_slope=0.01, inplace=False)`. */
export function leakyRelu(
  input: Tensor,
  ...args: ArgsThenOptions<[negativeSlope: number, inplace: boolean], LeakyReluOptions>
): Tensor {
  const o = bindArgs<LeakyReluOptions>({ fn: 'leaky_relu', required: 1, positional: ['negativeSlope', 'inplace'] }, args);
  const negativeSlope = o.negativeSlope ?? 0.01;
  return o.inplace ? torch.leakyRelu_(input, negativeSlope) : torch.leakyRelu(input, negativeSlope);
}

/** GELU with the exact erf form, or `approximate: 'tanh'`. */
export function gelu(input: Tensor, approximateOr: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' } = 'none'): Tensor {
  // `F.gelu(x, approximate='tanh')` written `F.gelu(x, { approximate: 'tanh' })`.
  if (typeof approximateOr === 'object') torch.checkOptionKeys('gelu', approximateOr, ['approximate']);
  const approximate = typeof approximateOr === 'object' ? (approximateOr.approximate ?? 'none') : approximateOr;
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new Error(`approximate argument must be either none or tanh.`);
  }
  return torch.gelu(input, approximate);
}

/** As `F.silu(input, inplace=False)`. */
export function silu(input: Tensor, ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>): Tensor {
  return inplaceArg('silu', args) ? torch.silu_(input) : torch.silu(input);
}

export function sigmoid(input: Tensor): Tensor {
  return torch.sigmoid(input);
}

export function tanh(input: Tensor): Tensor {
  return torch.tanh(input);
}

/** PyTorch's implicit softmax dim (deprecated there, with its warning): 0 for 0-, 1- and 3-D input, else 1. */
export function legacySoftmaxDim(name: string, ndim: number): number {
  warnOnce(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/** `dim` positionally or as `{ dim }` (`F.softmax(x, dim=1)` is `F.softmax(x, { dim: 1 })`). */
function keywordDim(fn: string, dim: number | null | { dim?: number | null }): number | null {
  if (dim === null || typeof dim === 'number') return dim;
  torch.checkOptionKeys(fn, dim, ['dim']);
  return dim.dim ?? null;
}

export function softmax(input: Tensor, dim: number | null | { dim?: number | null } = null): Tensor {
  const d = keywordDim('softmax', dim);
  return torch.softmax(input, d ?? legacySoftmaxDim('softmax', input.ndim));
}

export function logSoftmax(input: Tensor, dimOr: number | null | { dim?: number | null } = null): Tensor {
  const dim = keywordDim('log_softmax', dimOr);
  return torch.logSoftmax(input, dim ?? legacySoftmaxDim('log_softmax', input.ndim));
}
