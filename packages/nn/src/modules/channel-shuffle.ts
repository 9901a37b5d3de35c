import { bindArgs, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { channelShuffle } from '../functional/channel-shuffle.js';

/** `[N, C, *]` with its channels interleaved across `groups`, as `nn.ChannelShuffle(groups)`. */
export class ChannelShuffle extends Module {
  readonly groups: number;

  constructor(groups: number);
  /** By keyword too: `new nn.ChannelShuffle({ groups: 2 })`. */
  constructor(options: { groups: number });
  constructor(...args: unknown[]) {
    super();
    this.groups = bindArgs<{ groups: number }>({ fn: 'ChannelShuffle.__init__', required: ['groups'], positional: [] }, args).groups;
  }

  override forward(input: Tensor): Tensor {
    return channelShuffle(input, this.groups);
  }

  override extraRepr(): string {
    return `groups=${this.groups}`;
  }
}
