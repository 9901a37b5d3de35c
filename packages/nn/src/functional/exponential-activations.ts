import { where, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import type { InplaceOption } from './activation.js';
import { inplaceOf, maybeInPlace } from './inplace-write.js';
import { presentAs } from '@descent/tensor';

// Activations built on exp and log, composed from tensor ops (so autograd and every backend work unchanged). The
// exp inside each unselected branch of a `where` is clamped, so a large input gives no inf there and no NaN
// gradient through it.

export interface EluOptions extends InplaceOption {
  alpha?: number;
}

export interface SoftplusOptions {
  beta?: number;
  threshold?: number;
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** `x` above 0, `negCoef * (exp(x * inputScale) - 1)` at and below, scaled by `posCoef`: PyTorch's elu kernel. */
function eluCore(x: Tensor, negCoef: number, posCoef: number, inputScale: number): Tensor {
  const negative = x.clamp(null, 0).mul(inputScale).exp().sub(1).mul(negCoef);
  return where(x.gt(0), posCoef === 1 ? x : x.mul(posCoef), negative);
}

/** As `F.elu(input, alpha=1.0, inplace=False)`. */
export function elu(input: Tensor, ...args: ArgsThenOptions<[alpha: number, inplace: boolean], EluOptions>): Tensor {
  const { alpha = 1, inplace = false } = bindArgs<EluOptions>({ fn: 'elu', required: 1, positional: ['alpha', 'inplace'] }, args);
  return maybeInPlace(input, inplace, (x) => presentAs(eluCore(x, alpha, 1, 1), 'EluBackward0', [x]), 'EluBackward1');
}

/** As `F.elu_(input, alpha=1.0)`. */
export function elu_(input: Tensor, alpha = 1): Tensor {
  return elu(input, alpha, true);
}

/** `scale * elu(x, alpha)` with SELU's fixed constants, as `F.selu(input, inplace=False)`. */
export function selu(input: Tensor, ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>): Tensor {
  // PyTorch's selu is its elu kernel with selu's constants.
  return maybeInPlace(input, inplaceOf('selu', 1, args), (x) => presentAs(eluCore(x, SELU_ALPHA * SELU_SCALE, SELU_SCALE, 1), 'EluBackward0', [x]), 'EluBackward1');
}

export function selu_(input: Tensor): Tensor {
  return selu(input, true);
}

/** `max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`, as `F.celu(input, alpha=1.0, inplace=False)`. */
export function celu(input: Tensor, ...args: ArgsThenOptions<[alpha: number, inplace: boolean], EluOptions>): Tensor {
  const { alpha = 1, inplace = false } = bindArgs<EluOptions>({ fn: 'celu', required: 1, positional: ['alpha', 'inplace'] }, args);
  if (alpha === 0) throw new Error('ZeroDivisionError: alpha cannot be 0 for CELU');
  return maybeInPlace(input, inplace, (x) => presentAs(eluCore(x, alpha, 1, 1 / alpha), 'CeluBackward0', [x]), 'CeluBackward1');
}

export function celu_(input: Tensor, alpha = 1): Tensor {
  return celu(input, alpha, true);
}

/** `log(1 + exp(beta x)) / beta`, linear where `beta x > threshold`, as `F.softplus(input, beta=1, threshold=20)`. */
export function softplus(input: Tensor, ...args: ArgsThenOptions<[beta: number, threshold: number], SoftplusOptions>): Tensor {
  const { beta = 1, threshold = 20 } = bindArgs<SoftplusOptions>({ fn: 'softplus', required: 1, positional: ['beta', 'threshold'] }, args);
  const scaled = input.mul(beta);
  const smooth = scaled.clamp(null, threshold).exp().add(1).log().div(beta);
  return presentAs(where(scaled.gt(threshold), input, smooth), 'SoftplusBackward0', [input]);
}

/** `x * tanh(softplus(x))`, as `F.mish(input, inplace=False)`. */
export function mish(input: Tensor, ...args: ArgsThenOptions<[inplace: boolean], InplaceOption>): Tensor {
  return maybeInPlace(input, inplaceOf('mish', 1, args), (x) => presentAs(x.mul(softplus(x).tanh()), 'MishBackward0', [x]), 'MishBackward0');
}

/**
 * `log(sigmoid(x))`, as `F.logsigmoid`: `-log(1 + exp(-x))` from 0 up and `x - log(1 + exp(x))` below, each
 * on its own side only (smooth at 0, with PyTorch's gradient 1/2 there).
 */
export function logsigmoid(input: Tensor): Tensor {
  const upper = input.clamp(0, null).neg().exp().add(1).log().neg();
  const lower = input.clamp(null, 0);
  return presentAs(where(input.ge(0), upper, lower.sub(lower.exp().add(1).log())), 'LogSigmoidBackward0', [input]);
}
