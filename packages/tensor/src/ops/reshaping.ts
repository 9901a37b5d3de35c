import { broadcastShapes as broadcastTwo, normalizeDim, normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { flip } from './split.js';
import { contiguous, expand, permute, reshape, transpose, view } from './views.js';
import { presentAs } from './present-as.js';

// Shape ops PyTorch has beside view/permute (tile, broadcast_to, movedim, unflatten, rot90, meshgrid), each
// written with views, so they share storage where PyTorch's do and autograd needs no rule of its own. unbind, an op
// of its own in autograd, is in unbind.ts.

/** `torch.numel(x)`: the number of elements. */
export const numel = (x: Tensor): number => x.numel();

/** `torch.tile(x, dims)`: `repeat`, with `dims` padded with leading ones when shorter than the rank. */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  const padded = dims.length < x.ndim ? [...new Array<number>(x.ndim - dims.length).fill(1), ...dims] : dims;
  return x.repeat(padded);
}

/** `torch.broadcast_to(x, shape)`: `expand` (-1 keeps a size). */
export const broadcastTo = (x: Tensor, shape: readonly number[]): Tensor => expand(x, shape);

/** `torch.broadcast_shapes(*shapes)`: the shape all of them broadcast to (a number is a 1-D shape). */
export function broadcastShapes(...shapes: (readonly number[] | number)[]): number[] {
  return shapes.map((s) => (typeof s === 'number' ? [s] : s)).reduce<number[]>((acc, s) => broadcastTwo(acc, s), []);
}

/** `torch.broadcast_tensors(*tensors)`: each expanded to the common shape (views). */
export function broadcastTensors(...tensors: Tensor[]): Tensor[] {
  const shape = broadcastShapes(...tensors.map((t) => t.shape));
  return tensors.map((t) => expand(t, shape));
}

/** `torch.ravel(x)`: the elements in order as one dim, a view where `x` is contiguous (PyTorch's `contiguous().view(-1)`). */
export const ravel = (x: Tensor): Tensor => view(contiguous(x), [-1]);

/** `torch.movedim(x, source, destination)`: the `source` dims moved to `destination`, the others in order. */
export function movedim(x: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
  const src = typeof source === 'number' ? [source] : [...source];
  const dst = typeof destination === 'number' ? [destination] : [...destination];
  if (src.length !== dst.length) {
    throw new RangeError(
      `movedim: Invalid source or destination dims: source (${formatList(src)} dims) should contain the same number of dims as destination (${formatList(dst)} dims)`,
    );
  }
  const from = normalizeDims(src, x.ndim);
  const to = normalizeDims(dst, x.ndim);
  const order = new Array<number>(x.ndim).fill(-1);
  to.forEach((d, i) => (order[d] = from[i]));
  const rest = x.shape.map((_, i) => i).filter((i) => !from.includes(i));
  for (let i = 0, j = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[j++];
  return permute(x, order);
}

const formatList = (dims: readonly number[]): string => `[${dims.join(', ')}]`;

/** `torch.swapaxes(x, a, b)` / `swapdims`: `transpose`. */
export const swapaxes = (x: Tensor, axis0: number, axis1: number): Tensor => transpose(x, axis0, axis1);

/** `x.unflatten(dim, sizes)`: `dim` split into `sizes` (one may be -1). */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, x.ndim);
  if (sizes.length === 0) throw new RangeError('unflatten: sizes must be non-empty');
  // PyTorch 1.13's unflatten is a view.
  return presentAs(reshape(x, [...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]), 'ViewBackward0', [x]);
}

/** `torch.rot90(x, k, dims)`: `k` quarter turns from the first of `dims` toward the second. */
export function rot90(x: Tensor, k = 1, dims: readonly number[] = [0, 1]): Tensor {
  if (dims.length !== 2) throw new RangeError(`expected total rotation dims == 2, but got dims = ${dims.length}`);
  if (x.ndim < 2) throw new RangeError(`expected total dims >= 2, but got total dims = ${x.ndim}`);
  const [a, b] = dims.map((d) => normalizeDim(d, x.ndim));
  if (a === b) throw new RangeError(`expected rotation dims to be different, but got dim0 = ${a} and dim1 = ${b}`);
  return presentAs(quarterTurns(x, ((k % 4) + 4) % 4, a, b), 'Rot90Backward0', [x]);
}

function quarterTurns(x: Tensor, turns: number, a: number, b: number): Tensor {
  if (turns === 1) return transpose(flip(x, [b]), a, b);
  if (turns === 2) return flip(x, [a, b]);
  if (turns === 3) return flip(transpose(x, a, b), [b]);
  return x.clone();
}

export interface MeshgridOptions {
  /** 'ij' (matrix indexing, PyTorch 1.13's default) or 'xy' (Cartesian: the first two outputs' dims swapped). */
  indexing?: 'ij' | 'xy';
}

/** `torch.meshgrid(*tensors, indexing=...)`: each 1-D input expanded along its own dim of the grid. */
export function meshgrid(...args: (Tensor | readonly Tensor[] | MeshgridOptions)[]): Tensor[] {
  const last = args[args.length - 1];
  const options = last !== undefined && !Array.isArray(last) && !isTensorLike(last) ? (args.pop() as MeshgridOptions) : {};
  const tensors = (args.length === 1 && Array.isArray(args[0]) ? args[0] : args) as Tensor[];
  const indexing = options.indexing ?? 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') {
    throw new RangeError(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${String(indexing)}`);
  }
  for (const t of tensors) {
    if (t.ndim > 1) throw new RangeError(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${t.toString()}`);
  }
  const flat = tensors.map((t) => reshape(t, [-1]));
  const swap = indexing === 'xy' && flat.length >= 2;
  const order = swap ? [flat[1], flat[0], ...flat.slice(2)] : flat;
  const shape = order.map((t) => t.shape[0]);
  return flat.map((t, i) => {
    const at = swap && i < 2 ? 1 - i : i;
    return expand(reshape(t, shape.map((s, j) => (j === at ? s : 1))), shape);
  });
}

function isTensorLike(x: unknown): boolean {
  return typeof x === 'object' && x !== null && 'shape' in x && 'dtype' in x;
}
