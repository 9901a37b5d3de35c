import { noGrad, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { pySize } from '../python-repr.js';
import { presentAs } from '@descent/tensor';

/**
 * `1 / sqrt(variance + eps)` rounded once, as PyTorch's CPU batch, layer and group norms compute it (in double):
 * float32 `rsqrt` rounds the square root first, as `torch.rsqrt` does, and drifts a few ulps from PyTorch's norms.
 */
function invStd(variance: Tensor, eps: number): Tensor {
  if (variance.dtype !== 'float32' || !variance.device.holds('float64')) return variance.add(eps).rsqrt();
  return variance.to('float64').add(eps).rsqrt().to('float32');
}

/** Layer and group norm's optional arguments, by keyword: `F.layer_norm(x, (8,), weight=w, eps=1e-6)`. */
export interface AffineOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Added to the variance for numerical stability. Default 1e-5. */
  eps?: number;
}

type AffineArgs = [weight: Tensor | null, bias: Tensor | null, eps: number];
const AFFINE = ['weight', 'bias', 'eps'];

/**
 * Normalizes over the trailing `normalizedShape` dims with the biased variance, then scales and shifts, as
 * `F.layer_norm`.
 */
export function layerNorm(input: Tensor, normalizedShape: readonly number[], ...args: ArgsThenOptions<AffineArgs, AffineOptions>): Tensor {
  const { weight = null, bias = null, eps = 1e-5 } = bindArgs<AffineOptions>({ fn: 'layer_norm', required: 2, positional: AFFINE }, args);
  const k = normalizedShape.length;
  const trailing = input.shape.slice(input.ndim - k);
  if (k === 0 || input.ndim < k || trailing.some((s, i) => s !== normalizedShape[i])) {
    throw new Error(
      `Given normalized_shape=[${normalizedShape.join(', ')}], expected input with shape [*, ${normalizedShape.join(', ')}], ` +
        `but got input of size[${input.shape.join(', ')}]`,
    );
  }
  const dims = normalizedShape.map((_, i) => input.ndim - k + i);
  const mean = input.mean(dims, { keepdim: true });
  const variance = input.var(dims, { correction: 0, keepdim: true });
  let out = input.sub(mean).mul(invStd(variance, eps));
  if (weight) out = out.mul(weight);
  if (bias) out = out.add(bias);
  return presentAs(out, 'NativeLayerNormBackward0', [input]);
}

/** `F.batch_norm`'s arguments after the running statistics, by keyword. */
export interface BatchNormArgs {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

const BATCH_NORM_ARGS = { fn: 'batch_norm', required: 3, positional: ['weight', 'bias', 'training', 'momentum', 'eps'] };

/** `[1, C, 1, ...]`: a per-channel vector shaped to broadcast against `input`. */
const perChannel = (input: Tensor, t: Tensor): Tensor => t.reshape(input.shape.map((s, i) => (i === 1 ? s : 1)));

/**
 * Batch normalization over dim 1 (channels) of `[N, C, *]` input, as
 * `F.batch_norm(input, running_mean, running_var, weight, bias, training=False, momentum=0.1, eps=1e-5)`. Training
 * normalizes with the batch's biased variance and, when running statistics are given, updates them in place with
 * `momentum` and the unbiased variance; evaluation normalizes with the running statistics.
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  ...args: ArgsThenOptions<[weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number], BatchNormArgs>
): Tensor {
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = bindArgs<BatchNormArgs>(BATCH_NORM_ARGS, args);
  if (input.ndim < 2) throw new Error(`batch_norm expects an input with a channel dim (at least 2-D), got size ${pySize(input.shape)}`);
  const channels = input.shape[1];
  if (training && input.numel() / channels === 1) {
    throw new Error(`Expected more than 1 value per channel when training, got input size ${pySize(input.shape)}`);
  }
  // ATen's checks, in its order.
  for (const [name, t] of [['running_mean', runningMean], ['running_var', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && t.numel() !== channels) throw new Error(`${name} should contain ${channels} elements not ${t.numel()}`);
    if (!t && !training && name.startsWith('running')) throw new Error(`${name} must be defined in evaluation mode`);
  }
  const dims = input.shape.map((_, i) => i).filter((d) => d !== 1);
  let mean: Tensor;
  let variance: Tensor;
  if (training || !runningMean || !runningVar) {
    mean = input.mean(dims, { keepdim: true });
    variance = input.var(dims, { correction: 0, keepdim: true });
    if (training && runningMean && runningVar) {
      noGrad(() => {
        const unbiased = input.detach().var(dims, { correction: 1 });
        runningMean.mul_(1 - momentum).add_(mean.detach().reshape([channels]).mul(momentum));
        runningVar.mul_(1 - momentum).add_(unbiased.mul(momentum));
      });
    }
  } else {
    mean = perChannel(input, runningMean);
    variance = perChannel(input, runningVar);
  }
  let out = input.sub(mean).mul(invStd(variance, eps));
  if (weight) out = out.mul(perChannel(input, weight));
  if (bias) out = out.add(perChannel(input, bias));
  return presentAs(out, 'NativeBatchNormBackward0', [input]);
}

/** `F.instance_norm`'s arguments after the input, by keyword. */
export interface InstanceNormArgs {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

const INSTANCE_NORM_ARGS = { fn: 'instance_norm', required: 1, positional: ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps'] };

/** `t` repeated `times` times end to end, or null. */
const repeated = (t: Tensor | null, times: number): Tensor | null => (t ? t.repeat(times) : null);

/**
 * Normalizes each channel of each sample over its spatial dims, as
 * `F.instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
 * momentum=0.1, eps=1e-5)`. As PyTorch does, this is batch norm over `[1, N * C, *]` with the per-channel tensors
 * repeated per sample; running statistics become the mean over the batch of the per-sample updates.
 */
export function instanceNorm(
  input: Tensor,
  ...args: ArgsThenOptions<
    [runningMean: Tensor | null, runningVar: Tensor | null, weight: Tensor | null, bias: Tensor | null, useInputStats: boolean, momentum: number, eps: number],
    InstanceNormArgs
  >
): Tensor {
  const o = bindArgs<InstanceNormArgs>(INSTANCE_NORM_ARGS, args);
  const { runningMean = null, runningVar = null, weight = null, bias = null, useInputStats = true, momentum = 0.1, eps = 1e-5 } = o;
  if (useInputStats && input.shape.slice(2).reduce((a, b) => a * b, 1) === 1) {
    throw new Error(`Expected more than 1 spatial element when training, got input size ${pySize(input.shape)}`);
  }
  if (!useInputStats && (!runningMean || !runningVar)) {
    throw new Error('Expected running_mean and running_var to be defined when use_input_stats is false');
  }
  const [n, c] = [input.size(0), input.size(1)];
  const meanCopies = repeated(runningMean, n);
  const varCopies = repeated(runningVar, n);
  const out = batchNorm(input.reshape([1, n * c, ...input.shape.slice(2)]), meanCopies, varCopies, {
    weight: repeated(weight, n),
    bias: repeated(bias, n),
    training: useInputStats,
    momentum,
    eps,
  });
  noGrad(() => {
    if (runningMean && meanCopies) runningMean.copy_(meanCopies.view([n, c]).mean(0));
    if (runningVar && varCopies) runningVar.copy_(varCopies.view([n, c]).mean(0));
  });
  return out.view(input.shape);
}

/**
 * Normalizes each of `numGroups` groups of channels of each sample over the group's channels and spatial dims, then
 * applies a per-channel scale and shift, as `F.group_norm(input, num_groups, weight=None, bias=None, eps=1e-5)`.
 */
export function groupNorm(input: Tensor, numGroups: number, ...args: ArgsThenOptions<AffineArgs, AffineOptions>): Tensor {
  const { weight = null, bias = null, eps = 1e-5 } = bindArgs<AffineOptions>({ fn: 'group_norm', required: 2, positional: AFFINE }, args);
  const [n, c] = [input.size(0), input.size(1)];
  const spatial = input.shape.slice(2);
  const perGroup = [Math.floor((n * c) / numGroups), numGroups, ...spatial];
  // PyTorch's check reads the batch size as N * C / G and the channels as G.
  if (perGroup[0] * spatial.reduce((a, b) => a * b, 1) === 1) {
    throw new Error(`Expected more than 1 value per channel when training, got input size [${perGroup.join(', ')}]`);
  }
  if (c % numGroups !== 0) {
    throw new Error(`Expected number of channels in input to be divisible by num_groups, but got input of shape [${input.shape.join(', ')}] and num_groups=${numGroups}`);
  }
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.numel() !== c)) {
      throw new Error(
        `Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape [${t.shape.join(', ')}] and input of shape [${input.shape.join(', ')}]`,
      );
    }
  }
  const groups = input.reshape([n, numGroups, -1]);
  const mean = groups.mean(2, { keepdim: true });
  const variance = groups.var(2, { correction: 0, keepdim: true });
  let out = groups.sub(mean).mul(invStd(variance, eps)).view(input.shape);
  if (weight) out = out.mul(perChannel(input, weight));
  if (bias) out = out.add(perChannel(input, bias));
  return presentAs(out, 'NativeGroupNormBackward0', [input]);
}
