import { integers } from '../data.js';

/** x shapes of rank 1 to 4, for gathering and scattering along every dim. */
export const INDEXED_SHAPES: readonly (readonly number[])[] = [[5], [3, 4], [2, 3, 4], [2, 3, 2, 3]];

/**
 * An index shape for `dim` of `shape`: longer than `shape` along `dim` (indices repeat), and one shorter along
 * the last other dim, since PyTorch only needs `index.size(d) <= x.size(d)` there.
 */
export function indexShapeFor(shape: readonly number[], dim: number): number[] {
  const out = [...shape];
  out[dim] = shape[dim] + 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (d !== dim && shape[d] > 1) {
      out[d] = shape[d] - 1;
      break;
    }
  }
  return out;
}

/** `count` valid indices into a dim of `size`. */
export function indices(count: number, size: number, seed: number): number[] {
  return integers(count, 0, size - 1, seed);
}
