import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { ViewReplay } from '../op-params.js';
import { where } from './indexing.js';
import { presentAs } from './present-as.js';
import { outsideView, viewScatter } from './view-history.js';
import { select, slice } from './views.js';

// select_scatter and slice_scatter: the input with `src` embedded where a view of it lies, out of place. The view
// adjoint (viewScatter, differentiable) places src, the view's mask keeps the input elsewhere. (diagonal_scatter is
// in diagonals.ts: diagonal gathers there, it is no view.)

function embed(name: string, x: Tensor, src: Tensor, replay: ViewReplay): Tensor {
  const viewShape = replay(x).shape;
  if (!shapesEqual(viewShape, src.shape)) {
    throw new RangeError(`expected src to have a size equal to the slice of self. src size = ${formatShape(src.shape)}, slice size = ${formatShape(viewShape)}`);
  }
  const placement = { baseShape: x.shape, replay };
  const placed = viewScatter(src.dtype === x.dtype ? src : src.to(x.dtype), placement);
  return presentAs(where(outsideView(placement, x.device), x, placed), name, [x, src]);
}

/** `torch.select_scatter(input, src, dim, index)`: input with src as its slice `index` along `dim`. */
export const selectScatter = (x: Tensor, src: Tensor, dim: number, index: number): Tensor =>
  embed('SelectScatterBackward0', x, src, (t) => select(t, dim, index));

/** `torch.slice_scatter(input, src, dim=0, start=None, end=None, step=1)`: input with src as that slice. */
export const sliceScatter = (x: Tensor, src: Tensor, dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor =>
  embed('SliceScatterBackward0', x, src, (t) => slice(t, dim, start, end, step));
