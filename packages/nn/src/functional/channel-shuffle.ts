import type { Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import { sizes } from './conv-args.js';

/**
 * `[N, C, *]` with its channels regrouped, `[N, g, C/g, *]` read as `[N, C/g, g, *]` (ShuffleNet's), as
 * `F.channel_shuffle(input, groups)`. A view, a transpose and a copy, so unlike PyTorch 1.13 (whose kernel has no
 * derivative) it is differentiable.
 */
export function channelShuffle(input: Tensor, groups: number | { groups: number }): Tensor {
  const g = bindArgs<{ groups: number }>({ fn: 'channel_shuffle', required: ['groups'], positional: [] }, [groups]).groups;
  if (input.ndim < 3) throw new RangeError(`channel_shuffle expects input to have at least 3 dimensions, but got input with sizes ${sizes(input.shape)}`);
  if (!(g > 0)) throw new RangeError(`Number of groups to divide channels in must be positive. Value of groups:${g}`);
  const [n, c, ...rest] = input.shape;
  if (c % g !== 0) throw new RangeError(`Number of channels must be divisible by groups. Got ${c} channels and ${g} groups.`);
  return input.reshape([n, g, c / g, ...rest]).transpose(1, 2).reshape(input.shape);
}
