import { presentAs, type Tensor } from '@descent/tensor';

// Sub-pixel rearrangements: one reshape, one permute, one reshape (a copy only where the permute needs one).

function checkFactor(fn: string, input: Tensor, factor: number, name: string): void {
  if (input.ndim < 3) throw new Error(`${fn} expects input to have at least 3 dimensions, but got input with ${input.ndim} dimension(s)`);
  if (!(factor > 0)) throw new Error(`${fn} expects a positive ${name}, but got ${factor}`);
}

/** `[*, C r^2, H, W]` to `[*, C, H r, W r]`, as `F.pixel_shuffle(input, upscale_factor)`. */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  const r = upscaleFactor;
  checkFactor('pixel_shuffle', input, r, 'upscale_factor');
  const lead = input.shape.slice(0, -3);
  const [c, h, w] = input.shape.slice(-3);
  if (c % (r * r) !== 0) {
    throw new Error(
      `pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`,
    );
  }
  const n = lead.length;
  const split = input.reshape([...lead, c / (r * r), r, r, h, w]);
  const order = [...lead.map((_, i) => i), n, n + 3, n + 1, n + 4, n + 2];
  return presentAs(split.permute(order).reshape([...lead, c / (r * r), h * r, w * r]), 'PixelShuffleBackward0', [input]);
}

/** `[*, C, H r, W r]` to `[*, C r^2, H, W]`, as `F.pixel_unshuffle(input, downscale_factor)`. */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  const r = downscaleFactor;
  checkFactor('pixel_unshuffle', input, r, 'downscale_factor');
  const lead = input.shape.slice(0, -3);
  const [c, h, w] = input.shape.slice(-3);
  if (h % r !== 0) throw new Error(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new Error(`pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  const n = lead.length;
  const split = input.reshape([...lead, c, h / r, r, w / r, r]);
  const order = [...lead.map((_, i) => i), n, n + 2, n + 4, n + 1, n + 3];
  return presentAs(split.permute(order).reshape([...lead, c * r * r, h / r, w / r]), 'PixelUnshuffleBackward0', [input]);
}
