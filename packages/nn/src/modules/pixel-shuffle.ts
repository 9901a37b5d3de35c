import type { Tensor } from '@descent/tensor';
import { Module } from '../module.js';
import { pixelShuffle, pixelUnshuffle } from '../functional/pixel-shuffle.js';

/** `[*, C r^2, H, W]` to `[*, C, H r, W r]`, as `nn.PixelShuffle(upscale_factor)`. */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
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
  constructor(readonly downscaleFactor: number) {
    super();
  }

  override forward(input: Tensor): Tensor {
    return pixelUnshuffle(input, this.downscaleFactor);
  }

  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}
