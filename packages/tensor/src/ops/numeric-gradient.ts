import { checkOptionKeys } from '../options.js';
import { normalizeDims } from '../shape.js';
import { Tensor } from '../tensor.js';
import { defaultFloatDType, isFloating } from '../dtype.js';
import { cat } from './indexing.js';
import { narrow, reshape } from './views.js';

// torch.gradient: finite differences of samples, central inside and one-sided (first or second order) at the ends,
// as PyTorch computes them, joined with cat (so each result prints CatBackward0, as PyTorch's).

export interface GradientOptions {
  /** A spacing per dim (a number, or the dim's sample coordinates as a 1-D tensor), or one number for all. */
  spacing?: number | readonly (number | Tensor)[];
  dim?: number | readonly number[] | null;
  edgeOrder?: 1 | 2;
}

const slice1 = (t: Tensor, d: number, start: number, length: number): Tensor => narrow(t, d, start, length);

/** d f / d x along `d` with a constant spacing `h`. */
function uniform(f: Tensor, d: number, h: number, edgeOrder: number): Tensor {
  const n = f.shape[d];
  const at = (i: number, length = 1) => slice1(f, d, i < 0 ? n + i : i, length);
  const interior = at(2, n - 2).sub(at(0, n - 2)).div(2 * h);
  const first = edgeOrder === 1 ? at(1).sub(at(0)).div(h) : at(0).mul(-1.5).add(at(1).mul(2)).sub(at(2).mul(0.5)).div(h);
  const last = edgeOrder === 1 ? at(-1).sub(at(-2)).div(h) : at(-3).mul(0.5).sub(at(-2).mul(2)).add(at(-1).mul(1.5)).div(h);
  return cat([first, interior, last], d);
}

/** d f / d x along `d` at sample coordinates `x` (1-D), second-order accurate inside, first order at the ends. */
function coordinates(f: Tensor, d: number, x: Tensor): Tensor {
  const n = f.shape[d];
  const shape = f.shape.map((s, i) => (i === d ? -1 : 1));
  const along = (t: Tensor) => reshape(t, shape);
  const dx = x.narrow(0, 1, n - 1).sub(x.narrow(0, 0, n - 1));
  const [dx1, dx2] = [along(dx.narrow(0, 0, n - 2)), along(dx.narrow(0, 1, n - 2))];
  const a = dx2.neg().div(dx1.mul(dx1.add(dx2)));
  const b = dx2.sub(dx1).div(dx1.mul(dx2));
  const c = dx1.div(dx2.mul(dx1.add(dx2)));
  const interior = a.mul(slice1(f, d, 0, n - 2)).add(b.mul(slice1(f, d, 1, n - 2))).add(c.mul(slice1(f, d, 2, n - 2)));
  const first = slice1(f, d, 1, 1).sub(slice1(f, d, 0, 1)).div(along(dx.narrow(0, 0, 1)));
  const last = slice1(f, d, n - 1, 1).sub(slice1(f, d, n - 2, 1)).div(along(dx.narrow(0, n - 2, 1)));
  return cat([first, interior, last], d);
}

/**
 * `torch.gradient(input, *, spacing=1, dim=None, edge_order=1)`: one tensor per dim, the estimated derivative of the
 * samples along it. Sample coordinates (tensors in `spacing`) take edge_order 1 here.
 */
export function gradient(input: Tensor, options: GradientOptions = {}): Tensor[] {
  checkOptionKeys('gradient', options, ['spacing', 'dim', 'edgeOrder']);
  const edgeOrder = options.edgeOrder ?? 1;
  if (edgeOrder !== 1 && edgeOrder !== 2) throw new RangeError('torch.gradient only supports edge_order=1 and edge_order=2.');
  const dims = options.dim === undefined || options.dim === null ? input.shape.map((_, i) => i) : normalizeDims(options.dim, input.ndim);
  const spacing = options.spacing ?? 1;
  const spacings = typeof spacing === 'number' ? dims.map(() => spacing) : spacing;
  if (spacings.length !== dims.length) {
    throw new RangeError(`torch.gradient expected spacing to be unspecified, a scalar or it's spacing and dim arguments to have the same length, but got a spacing argument of length ${spacings.length} and a dim argument of length ${dims.length}.`);
  }
  const f = isFloating(input.dtype) ? input : input.to(defaultFloatDType());
  return dims.map((d, i) => {
    if (f.shape[d] < edgeOrder + 1) throw new RangeError('torch.gradient expected each dimension size to be at least edge_order+1');
    const h = spacings[i];
    if (h instanceof Tensor) {
      if (edgeOrder !== 1) throw new RangeError('torch.gradient: sample coordinates with edge_order=2 are not supported by Descent yet; use edge_order=1 or a scalar spacing');
      return coordinates(f, d, h.to(f.dtype));
    }
    return uniform(f, d, h, edgeOrder);
  });
}
