import { fromArray, type Generator, type Tensor } from '@descent/tensor';
import { dropoutArgs, type DropoutArgs } from './dropout.js';

/** SELU's alpha times its scale: the value a dropped unit takes, `-lambda * alpha`, as a positive number. */
const ALPHA = 1.7580993408473766;
const f32 = Math.fround;

/**
 * ATen's `_dropout_impl` with `alpha_dropout`: `noise = bernoulli_(1 - p)` (PyTorch's draws, one per element or
 * per `[N, C]` feature), then `input * (noise * a) + b` with `a = 1 / sqrt((alpha^2 p + 1)(1 - p))` and
 * `b = (noise - 1) * alpha * a + alpha * a * p`, in float32 as PyTorch rounds them. Keeps SELU's mean and variance.
 */
function alphaDropoutImpl(input: Tensor, p: number, training: boolean, inplace: boolean, generator: Generator, feature: boolean): Tensor {
  if (p === 0 || !training || input.numel() === 0) return input;
  if (p === 1) return inplace ? input.mul_(0) : input.mul(0);
  if (feature && input.ndim < 2) throw new RangeError('Feature dropout requires at least 2 dimensions in the input');
  const shape = feature ? input.shape.map((s, i) => (i < 2 ? s : 1)) : input.shape;
  const keep = generator.bernoulli(shape.reduce((n, s) => n * s, 1), 1 - p);
  const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
  const [slope, offset, scale] = [f32(ALPHA * a), f32(ALPHA * a * p), f32(a)];
  const b = keep.map((k) => f32(f32((k - 1) * slope) + offset));
  const noise = keep.map((k) => f32(k * scale));
  const [noiseT, bT] = [fromArray(noise, shape, { device: input.device }), fromArray(b, shape, { device: input.device })];
  return inplace ? input.mul_(noiseT).add_(bT) : input.mul(noiseT).add(bT);
}

/**
 * Dropout that keeps a SELU network's self-normalization, as `F.alpha_dropout(input, p=0.5, training=False,
 * inplace=False)`: dropped elements take SELU's negative saturation, then an affine map restores mean and variance.
 */
export function alphaDropout(input: Tensor, ...args: DropoutArgs): Tensor {
  const { p, training, inplace, generator } = dropoutArgs('alpha_dropout', args, false);
  return alphaDropoutImpl(input, p, training, inplace, generator, false);
}

/** Alpha dropout of whole `[N, C]` channels, as `F.feature_alpha_dropout(input, p=0.5, training=False, inplace=False)`. */
export function featureAlphaDropout(input: Tensor, ...args: DropoutArgs): Tensor {
  const { p, training, inplace, generator } = dropoutArgs('feature_alpha_dropout', args, false);
  return alphaDropoutImpl(input, p, training, inplace, generator, true);
}
