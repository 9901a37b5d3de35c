import { linspace, ones, presentAs, stack, type Tensor } from '@descent/tensor';
import { bindArgs } from '../call-args.js';
import type { ArgsThenOptions } from '../args-then-options.js';
import { warnOnce } from '../py-warnings.js';

/** PyTorch's warning when `align_corners` is left unset in `affine_grid` and `grid_sample`. */
export const ALIGN_CORNERS_DEFAULT_WARNING =
  'Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. Please specify align_corners=True if the old behavior is desired. See the documentation of grid_sample for details.';

/** `[-1, 1]` in `steps` points, pulled in by half a pixel unless `alignCorners`: ATen's `linspace_from_neg_one`. */
function linspaceFromNegOne(theta: Tensor, steps: number, alignCorners: boolean): Tensor {
  if (steps <= 1) return linspace(0, 0, 1, { dtype: theta.dtype, device: theta.device });
  const range = linspace(-1, 1, steps, { dtype: theta.dtype, device: theta.device });
  return alignCorners ? range : range.mul(steps - 1).div(steps);
}

/**
 * The sampling grid `[N, H, W, 2]` of the 2-D affine maps `theta` (`[N, 2, 3]`) for an output of `size`
 * (`[N, C, H, W]`), as `F.affine_grid`: each output pixel's normalized `(x, y)` times `theta`. A matmul of the
 * base grid, so `theta`'s gradient is the matmul's.
 */
export function affineGrid(theta: Tensor, size: readonly number[], ...args: ArgsThenOptions<[alignCorners: boolean | null], { alignCorners?: boolean | null }>): Tensor {
  let alignCorners = bindArgs<{ alignCorners?: boolean | null }>({ fn: 'affine_grid', required: 2, positional: ['alignCorners'] }, args).alignCorners ?? null;
  if (alignCorners === null) {
    warnOnce(ALIGN_CORNERS_DEFAULT_WARNING);
    alignCorners = false;
  }
  if (theta.dtype !== 'float32' && theta.dtype !== 'float64') {
    throw new TypeError(`Expected theta to have floating point type, but got torch.${theta.dtype}`);
  }
  const shown = `[${size.join(', ')}]`;
  if (size.length === 5) throw new Error('affine_grid: 5-D sizes (3-D affine transforms) are not supported in Descent');
  if (size.length !== 4) {
    throw new Error(`affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. Got size ${shown}.`);
  }
  if (theta.ndim !== 3 || theta.shape[1] !== 2 || theta.shape[2] !== 3) {
    throw new Error(`Expected a batch of 2D affine matrices of shape Nx2x3 for size ${shown}. Got torch.Size([${theta.shape.join(', ')}]).`);
  }
  const [n, , h, w] = size;
  if (alignCorners && Math.min(h, w) === 1) {
    warnOnce(
      'Since version 1.3.0, affine_grid behavior has changed for unit-size grids when align_corners=True. This is not an intended use case of affine_grid. See the documentation of affine_grid for details.',
    );
  } else if (Math.min(...size) <= 0) {
    throw new Error(`Expected non-zero, positive output size. Got ${shown}`);
  }
  const xs = linspaceFromNegOne(theta, w, alignCorners).unsqueeze(0).expand([h, w]);
  const ys = linspaceFromNegOne(theta, h, alignCorners).unsqueeze(1).expand([h, w]);
  const base = stack([xs, ys, ones([h, w], { dtype: theta.dtype, device: theta.device })], -1).reshape([1, h * w, 3]);
  const grid = base.expand([n, h * w, 3]).bmm(theta.transpose(1, 2)).reshape([n, h, w, 2]);
  return presentAs(grid, 'AffineGridGeneratorBackward0', [theta]);
}
