import { bindArgs, type Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { pixelShuffle, pixelUnshuffle } from '../functional/pixel-shuffle.js';

/** `[*, C r^2, H, W]` to `[*, C, H r, W r]`, as `nn.PixelShuffle(upscale_factor)`. */
export class PixelShuffle extends Module {
  readonly upscaleFactor: number;

  constructor(upscaleFactor: number);
  /** By keyword too: `new nn.PixelShuffle({ upscaleFactor: 2 })`. */
  constructor(options: { upscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    this.upscaleFactor = bindArgs<{ upscaleFactor: number }>({ fn: 'PixelShuffle.__init__', required: ['upscaleFactor'], positional: [] }, args).upscaleFactor;
  }

  override forward(input: Tensor): Tensor {
    return pixelShuffle(input, this.upscaleFactor);
  }

  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

/** `[*, C, H r, W r]` to `[*, C r^2, H, W]`, as `nn.PixelUnshuffle(downscale_factor)`. */
export class PixelUnshuffle extends Module {
  readonly downscaleFactor: number;

  constructor(downscaleFactor: number);
  /** By keyword too: `new nn.PixelUnshuffle({ downscaleFactor: 2 })`. */
  constructor(options: { downscaleFactor: number });
  constructor(...args: unknown[]) {
    super();
    this.downscaleFactor = bindArgs<{ downscaleFactor: number }>({ fn: 'PixelUnshuffle.__init__', required: ['downscaleFactor'], positional: [] }, args).downscaleFactor;
  }

  override forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }

  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}
