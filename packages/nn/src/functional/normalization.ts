import { noGrad, type Tensor } from '@descent/tensor';
import { pySize } from '../python-repr.js';

/**
 * Normalizes over the trailing `normalizedShape` dims with the biased variance, then scales and shifts, as
 * `F.layer_norm`.
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
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
  let out = input.sub(mean).mul(variance.add(eps).rsqrt());
  if (weight) out = out.mul(weight);
  if (bias) out = out.add(bias);
  return out;
}

/**
 * Batch normalization over dim 1 (channels) of `[N, C]` or `[N, C, L]` input, as `F.batch_norm`. Training
 * normalizes with the batch's biased variance and, when running statistics are given, updates them in place with
 * `momentum` and the unbiased variance; evaluation normalizes with the running statistics.
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  training = false,
  momentum = 0.1,
  eps = 1e-5,
): Tensor {
  if (input.ndim < 2) throw new Error(`batch_norm expects an input with a channel dim (at least 2-D), got size ${pySize(input.shape)}`);
  const channels = input.shape[1];
  for (const [name, t] of [['running_mean', runningMean], ['running_var', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && t.numel() !== channels) throw new Error(`${name} should contain ${channels} elements not ${t.numel()}`);
  }
  const dims = input.shape.map((_, i) => i).filter((d) => d !== 1);
  const perChannel = input.numel() / channels;
  if (training && perChannel === 1) {
    throw new Error(`Expected more than 1 value per channel when training, got input size ${pySize(input.shape)}`);
  }
  const broadcast = input.shape.map((s, i) => (i === 1 ? s : 1));
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
    mean = runningMean.reshape(broadcast);
    variance = runningVar.reshape(broadcast);
  }
  let out = input.sub(mean).mul(variance.add(eps).rsqrt());
  if (weight) out = out.mul(weight.reshape(broadcast));
  if (bias) out = out.add(bias.reshape(broadcast));
  return out;
}
