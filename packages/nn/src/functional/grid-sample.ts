import { presentAs, where, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { warnOnce } from '../py-warnings.js';
import { ALIGN_CORNERS_DEFAULT_WARNING } from './affine-grid.js';

export type GridSampleMode = 'bilinear' | 'nearest' | 'bicubic';
export type GridSamplePaddingMode = 'zeros' | 'border' | 'reflection';

/** `F.grid_sample`'s arguments after `input` and `grid`, by keyword. */
export interface GridSampleOptions {
  mode?: GridSampleMode;
  paddingMode?: GridSamplePaddingMode;
  alignCorners?: boolean | null;
}

/** A normalized coordinate in `[-1, 1]` as a pixel position: ATen's `grid_sampler_unnormalize`. */
function unnormalize(coord: Tensor, size: number, alignCorners: boolean): Tensor {
  return alignCorners ? coord.add(1).div(2).mul(size - 1) : coord.add(1).mul(size).sub(1).div(2);
}

/** ATen's `reflect_coordinates`: `coord` folded back and forth into `[twiceLow / 2, twiceHigh / 2]`. */
function reflect(coord: Tensor, twiceLow: number, twiceHigh: number): Tensor {
  if (twiceLow === twiceHigh) return coord.mul(0);
  const min = twiceLow / 2;
  const span = (twiceHigh - twiceLow) / 2;
  const x = coord.sub(min).abs();
  // fmod(x, span) with x's gradient: the whole spans carry none.
  const flips = x.detach().div(span).floor();
  const extra = x.sub(flips.mul(span));
  return where(flips.remainder(2).eq(0), extra.add(min), extra.neg().add(span + min));
}

/** ATen's `grid_sampler_compute_source_index`: the pixel position a grid coordinate reads, after the padding mode. */
function sourceIndex(coord: Tensor, size: number, padding: GridSamplePaddingMode, alignCorners: boolean): Tensor {
  let x = unnormalize(coord, size, alignCorners);
  if (padding === 'reflection') x = alignCorners ? reflect(x, 0, 2 * (size - 1)) : reflect(x, -1, 2 * size - 1);
  if (padding !== 'zeros') x = x.clamp(0, size - 1);
  return x;
}

/** The input's values `[N, C, P]` at integer pixel positions `x`, `y` (`[N, 1, P]`); zero outside the image. */
function pick(flat: Tensor, x: Tensor, y: Tensor, h: number, w: number): Tensor {
  const inside = x.ge(0).logicalAnd(x.le(w - 1)).logicalAnd(y.ge(0)).logicalAnd(y.le(h - 1));
  const index = y.clamp(0, h - 1).mul(w).add(x.clamp(0, w - 1)).long();
  const values = flat.gather(2, index.expand([flat.shape[0], flat.shape[1], index.shape[2]]).contiguous());
  return where(inside, values, 0);
}

const MODES = ['bilinear', 'nearest', 'bicubic'];
const PADDINGS = ['zeros', 'border', 'reflection'];

/**
 * `input` (`[N, C, H, W]`) read at the normalized `(x, y)` points of `grid` (`[N, Ho, Wo, 2]`), as `F.grid_sample`:
 * bilinear or nearest, zeros, border or reflection padding. Composed from `gather` and elementwise ops, so the
 * gradients with respect to the input and (bilinear) the grid are theirs.
 */
export function gridSample(
  input: Tensor,
  grid: Tensor,
  ...args: ArgsThenOptions<[mode: GridSampleMode, paddingMode: GridSamplePaddingMode, alignCorners: boolean | null], GridSampleOptions>
): Tensor {
  const o = bindArgs<GridSampleOptions>({ fn: 'grid_sample', required: 2, positional: ['mode', 'paddingMode', 'alignCorners'] }, args);
  const mode = o.mode ?? 'bilinear';
  const padding = o.paddingMode ?? 'zeros';
  if (!MODES.includes(mode)) throw new Error(`nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '${mode}'`);
  if (!PADDINGS.includes(padding)) {
    throw new Error(`nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but got: '${padding}'`);
  }
  let alignCorners = o.alignCorners ?? null;
  if (alignCorners === null) {
    warnOnce(ALIGN_CORNERS_DEFAULT_WARNING);
    alignCorners = false;
  }
  const sizes = `input with sizes [${input.shape.join(', ')}] and grid with sizes [${grid.shape.join(', ')}]`;
  if (input.dtype !== grid.dtype) {
    throw new TypeError(`grid_sampler(): expected input and grid to have same dtype, but input has ${input.dtype} and grid has ${grid.dtype}`);
  }
  if (input.shape[0] !== grid.shape[0]) throw new Error(`grid_sampler(): expected grid and input to have same batch size, but got ${sizes}`);
  if (grid.shape[grid.ndim - 1] !== input.ndim - 2) {
    throw new Error(`grid_sampler(): expected grid to have size ${input.ndim - 2} in last dimension, but got grid with sizes [${grid.shape.join(', ')}]`);
  }
  if (input.ndim === 5) throw new Error('grid_sample: 5-D (volumetric) input is not supported in Descent');
  if (input.ndim !== 4 || grid.ndim !== 4) throw new Error(`grid_sampler(): expected 4D input and grid with same number of dimensions, but got ${sizes}`);
  if (mode === 'bicubic') throw new Error("grid_sample: mode='bicubic' is not supported in Descent");

  const [n, c, h, w] = input.shape;
  const [, ho, wo] = grid.shape;
  const flat = input.reshape([n, c, h * w]);
  const points = grid.reshape([n, 1, ho * wo, 2]);
  const ix = sourceIndex(points.select(3, 0), w, padding, alignCorners);
  const iy = sourceIndex(points.select(3, 1), h, padding, alignCorners);
  let out: Tensor;
  if (mode === 'nearest') {
    // Round half to even, as ATen's nearbyint.
    out = pick(flat, ix.round(), iy.round(), h, w);
  } else {
    const x0 = ix.detach().floor();
    const y0 = iy.detach().floor();
    const x1 = x0.add(1);
    const y1 = y0.add(1);
    const nw = x1.sub(ix).mul(y1.sub(iy));
    const ne = ix.sub(x0).mul(y1.sub(iy));
    const sw = x1.sub(ix).mul(iy.sub(y0));
    const se = ix.sub(x0).mul(iy.sub(y0));
    out = pick(flat, x0, y0, h, w).mul(nw).add(pick(flat, x1, y0, h, w).mul(ne)).add(pick(flat, x0, y1, h, w).mul(sw)).add(pick(flat, x1, y1, h, w).mul(se));
  }
  return presentAs(out.reshape([n, c, ho, wo]), 'GridSampler2DBackward0', [input, grid]);
}
