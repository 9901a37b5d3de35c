import * as torch from '@descent/tensor';
import { presentAs, where, type Tensor } from '@descent/tensor';
import type { ArgsThenOptions } from '../args-then-options.js';
import { bindArgs } from '../call-args.js';
import { legacySoftmaxDim } from './activation.js';

/** `a * sigmoid(b)` for the two halves `a`, `b` of `input` along `dim`, as `F.glu(input, dim=-1)`. */
export function glu(input: Tensor, dim = -1): Tensor {
  if (input.ndim === 0) throw new Error('glu does not support scalars because halving size must be even');
  const d = dim < 0 ? dim + input.ndim : dim;
  const size = input.shape[d];
  if (size % 2 !== 0) throw new Error(`Halving dimension must be even, but dimension ${d} is size ${size}`);
  const half = size / 2;
  return presentAs(input.narrow(d, 0, half).mul(input.narrow(d, half, half).sigmoid()), 'GluBackward0', [input]);
}

/**
 * `x` above 0, `weight * x` elsewhere, as `F.prelu(input, weight)`: one learned slope, or one per channel (dim 1;
 * a 0-D or 1-D input has one channel).
 */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  if (weight.ndim > 1) throw new Error(`prelu: Expected \`weight\` to be a scalar or 1D tensor, but got ndim = ${weight.ndim}`);
  const channels = input.ndim >= 2 ? input.shape[1] : 1;
  const count = weight.numel();
  if (count !== 1 && count !== channels) {
    throw new Error(
      `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${count} and channel size = ${channels}.`,
    );
  }
  const slope = count === 1 ? weight.reshape([]) : weight.reshape(input.shape.map((s, i) => (i === 1 ? s : 1)));
  return presentAs(where(input.gt(0), input, input.mul(slope)), 'PreluBackward0', [input, weight]);
}

/** `softmax(-x)` along `dim` (null picks PyTorch's legacy implicit dim), as `F.softmin(input, dim=None)`. */
export function softmin(input: Tensor, ...args: ArgsThenOptions<[dim: number | null], { dim?: number | null }>): Tensor {
  const { dim = null } = bindArgs<{ dim?: number | null }>({ fn: 'softmin', required: 1, positional: ['dim'] }, args);
  return torch.softmax(input.neg(), dim ?? legacySoftmaxDim('softmin', input.ndim));
}

/** Softmax over the channels of a `[C, H, W]` or `[N, C, H, W]` input, as `nn.Softmax2d`. */
export function softmax2d(input: Tensor): Tensor {
  if (input.ndim !== 3 && input.ndim !== 4) throw new Error('Softmax2d requires a 3D or 4D tensor as input');
  return torch.softmax(input, -3);
}

/** `F.relu_(input)`: ReLU written into `input`. */
export function relu_(input: Tensor): Tensor {
  return input.relu_();
}

/** `F.leaky_relu_(input, negative_slope=0.01)`: leaky ReLU written into `input`. */
export function leakyRelu_(input: Tensor, negativeSlope = 0.01): Tensor {
  return torch.leakyRelu_(input, negativeSlope);
}
