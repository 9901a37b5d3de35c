import { Tensor } from '../tensor.js';
import { indexPut, valuesFor } from './advanced-indexing.js';
import { index, type IndexSpec } from './indexing.js';
import * as inplace from './inplace.js';
import { linearize, resolveSpecs, type AdvancedSpec } from './multi-index.js';
import { movedim } from './reshaping.js';
import { clone, permute, view } from './views.js';

/**
 * Python's `x[specs] = v` (`Tensor.__setitem__`), written `x.indexPut_(specs, v)`: integers, slices, null and
 * '...' pick a view of `x` (basic indexing), and index tensors among them pick elements of that view, as PyTorch's
 * `x[0, 1:3] = v`, `x[:, idx] = v`, `x[mask] = v`. `v` broadcasts to the shape `x[specs]` reads; with `accumulate`
 * it is added (`index_put_(..., accumulate=True)`: repeated indices add up, where Python's `x[idx] += v`, a read then
 * a write, adds once).
 */

const isMask = (t: Tensor): boolean => t.dtype === 'bool' || t.dtype === 'uint8';

/** Leading size-1 dims of `v` beyond `target`'s rank dropped, as PyTorch does first (`x[0] = ones(1, n)`). */
function stripped(v: Tensor, target: readonly number[]): Tensor {
  let out = v;
  while (out.ndim > target.length && out.shape[0] === 1) out = out.squeeze(0);
  return out;
}

/** `v` broadcast to `target`: a basic-indexed view takes it as copy_ does (expand's error). */
const fitted = (v: Tensor, target: readonly number[]): Tensor => stripped(v, target).expand(target);

/** Writes `values` into the view `y` (every element of it): PyTorch's fill_ / copy_ of a basic-indexed setitem. */
function writeView(y: Tensor, values: Tensor | number, accumulate: boolean): void {
  if (accumulate) y.add_(typeof values === 'number' ? values : fitted(values, y.shape));
  else if (typeof values === 'number') y.fill_(values);
  else inplace.copyFrom(y, fitted(values, y.shape));
}

/** `x[specs] = values` in place; returns `x`. */
export function setIndex_<T extends Tensor>(x: T, specs: readonly AdvancedSpec[], values: Tensor | number, accumulate = false): T {
  const resolved = resolveSpecs(specs, x);
  if (resolved.length === 0) throw new RangeError('index_put: expected at least one index');
  // Only index tensors: index_put_ itself, each tensor indexing the next dims from dim 0.
  if (resolved.every((s) => s instanceof Tensor)) {
    return inplace.apply(x, () => indexPut(x, resolved as Tensor[], values, accumulate));
  }
  const basic: IndexSpec[] = [];
  for (const s of resolved) {
    if (s instanceof Tensor) for (let i = 0; i < (isMask(s) ? s.ndim : 1); i++) basic.push(':');
    else basic.push(s);
  }
  // `x[:]` is a view of all of x (its write is x's CopySlices), where index() hands back x itself.
  const picked = index(x, ...basic);
  const y = picked === x ? view(x, x.shape) : picked;
  // Where each tensor lands in the view y: count the dims the specs before it keep or add.
  const tensorDims = resolved.reduce<number>((n, s) => n + (s instanceof Tensor ? (isMask(s) ? s.ndim : 1) : 0), 0);
  const ellipsisDims = x.ndim - (resolved.filter((s) => s !== null && s !== '...' && !(s instanceof Tensor)).length + tensorDims);
  const targets: { dim: number; tensor: Tensor }[] = [];
  let dim = 0;
  for (const s of resolved) {
    if (s instanceof Tensor) {
      targets.push({ dim, tensor: s });
      dim += isMask(s) ? s.ndim : 1;
    } else if (s === '...') dim += ellipsisDims;
    else if (typeof s !== 'number') dim++;
  }
  if (targets.length === 0) {
    writeView(y, values, accumulate);
    return x;
  }
  // The indexed dims moved to the front of the view, so index_put_ sees its tensors from dim 0.
  const covered = targets.flatMap(({ dim: d, tensor: t }) => Array.from({ length: isMask(t) ? t.ndim : 1 }, (_, i) => d + i));
  const rest = y.shape.map((_, d) => d).filter((d) => !covered.includes(d));
  const front = permute(y, [...covered, ...rest]);
  const frontTargets = targets.map(({ tensor: t }, i) => ({ dim: targets.slice(0, i).reduce((n, p) => n + (isMask(p.tensor) ? p.tensor.ndim : 1), 0), tensor: t }));
  const { shape: b } = linearize(front.shape, frontTargets);
  let v: Tensor | number = values;
  if (v instanceof Tensor) {
    // The shape `x[specs]` reads: the broadcast index shape in place of adjacent indexed dims, else first.
    const adjacent = covered.every((d, i) => i === 0 || d === covered[i - 1] + 1);
    const first = covered[0];
    const restShape = rest.map((d) => y.shape[d]);
    const read = adjacent ? [...restShape.slice(0, first), ...b, ...restShape.slice(first)] : [...b, ...restShape];
    v = valuesFor(v, read);
    if (adjacent && first > 0) v = movedim(v, b.map((_, i) => first + i), b.map((_, i) => i));
  }
  inplace.apply(front, () => indexPut(front, frontTargets.map((t) => t.tensor), v, accumulate));
  return x;
}

/** `x.index_put(specs, values)` out of place: a copy of `x` with `x[specs] = values`. */
export function setIndex(x: Tensor, specs: readonly AdvancedSpec[], values: Tensor | number, accumulate = false): Tensor {
  return setIndex_(clone(x), specs, values, accumulate);
}
