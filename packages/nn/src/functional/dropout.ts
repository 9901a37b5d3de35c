import { defaultGenerator, fromArray, type Generator, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { warnOnce } from '../py-warnings.js';

/** The dropout functions' arguments after the input, by keyword; `generator` is Descent's (PyTorch uses the global one). */
export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator;
}

/** After the input: `(p, training, inplace)` by position, in the options object, or both. */
export type DropoutArgs = ArgsThenOptions<[p: number, training: boolean, inplace: boolean], DropoutOptions>;

/** The bound arguments with PyTorch's defaults; the alpha dropouts default `training` to false. */
export function dropoutArgs(fn: string, args: readonly unknown[], trainingDefault = true): Required<Omit<DropoutOptions, 'generator'>> & { generator: Generator } {
  // `dropout(x, p, training, inplace, undefined)`: a trailing undefined options object is no options at all.
  const given = args.length === 4 && args[3] === undefined ? args.slice(0, 3) : args;
  const o = bindArgs<DropoutOptions>({ fn, required: 1, positional: ['p', 'training', 'inplace'], keywordOnly: ['generator'] }, given);
  const p = o.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  return { p, training: o.training ?? trainingDefault, inplace: o.inplace ?? false, generator: o.generator ?? defaultGenerator };
}

/**
 * Zeroes each element with probability `p` and scales the rest by `1 / (1 - p)` when `training`, drawing the
 * mask exactly as PyTorch's CPU dropout does (so a seed gives PyTorch's mask). Returns `input` itself when not
 * training or when `p` is 0. As `F.dropout(input, p=0.5, training=True, inplace=False)`.
 */
export function dropout(input: Tensor, ...args: DropoutArgs): Tensor {
  const { p, training, inplace, generator } = dropoutArgs('dropout', args);
  if (!training || p === 0 || input.numel() === 0) return input;
  const mask = fromArray(generator.dropoutMask(input.numel(), p), input.shape, { device: input.device });
  return inplace ? input.mul_(mask) : input.mul(mask);
}

/**
 * PyTorch's `feature_dropout`: one draw per (sample, channel) of `[N, C, *]`, in that order, zeroing or scaling the
 * whole channel. `batchDims` is 1 for an unbatched `[C, *]` input, which draws as a batch of one.
 */
function featureDropout(input: Tensor, p: number, training: boolean, inplace: boolean, generator: Generator, batchDims: 1 | 2): Tensor {
  if (!training || p === 0 || input.numel() === 0) return input;
  if (input.ndim < batchDims) throw new RangeError('Feature dropout requires at least 2 dimensions in the input');
  const features = input.shape.slice(0, batchDims);
  const count = features.reduce((a, b) => a * b, 1);
  const maskShape = input.shape.map((s, i) => (i < batchDims ? s : 1));
  const mask = fromArray(generator.dropoutMask(count, p), maskShape, { device: input.device });
  return inplace ? input.mul_(mask) : input.mul(mask);
}

/** Channel-wise dropout of `[N, C, L]` or unbatched `[C, L]` input, as `F.dropout1d(input, p=0.5, training=True, inplace=False)`. */
export function dropout1d(input: Tensor, ...args: DropoutArgs): Tensor {
  const { p, training, inplace, generator } = dropoutArgs('dropout1d', args);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(
      `dropout1d: Expected 2D or 3D input, but received a ${input.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
    );
  }
  return featureDropout(input, p, training, inplace, generator, input.ndim === 3 ? 2 : 1);
}

/**
 * Channel-wise dropout of `[N, C, H, W]` input, as `F.dropout2d(input, p=0.5, training=True, inplace=False)`. As in
 * PyTorch 1.13, a 3-D input is read as `[N, C, L]` (with PyTorch's warning), not as an unbatched image.
 */
export function dropout2d(input: Tensor, ...args: DropoutArgs): Tensor {
  const { p, training, inplace, generator } = dropoutArgs('dropout2d', args);
  if (input.ndim !== 3 && input.ndim !== 4) {
    warnOnce(
      `dropout2d: Received a ${input.ndim}-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).`,
    );
  }
  if (input.ndim === 3) {
    warnOnce(
      'dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.',
    );
  }
  return featureDropout(input, p, training, inplace, generator, 2);
}

/** Channel-wise dropout of `[N, C, D, H, W]` or unbatched `[C, D, H, W]` input, as `F.dropout3d(input, p=0.5, training=True, inplace=False)`. */
export function dropout3d(input: Tensor, ...args: DropoutArgs): Tensor {
  const { p, training, inplace, generator } = dropoutArgs('dropout3d', args);
  if (input.ndim !== 4 && input.ndim !== 5) {
    warnOnce(
      `dropout3d: Received a ${input.ndim}-D input to dropout3d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).`,
    );
  }
  return featureDropout(input, p, training, inplace, generator, input.ndim === 5 ? 2 : 1);
}
