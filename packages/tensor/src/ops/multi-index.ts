import { broadcastShapes, formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { tensor } from './creation.js';
import { index, indexSelect, type IndexSpec } from './indexing.js';
import { permute, reshape } from './views.js';

/**
 * PyTorch's advanced indexing with any number of index tensors, as Python's `x[i, j]`, `x[:, i, j]`,
 * `x[i, :, j]`, `x[[0, 2]]` or `x[mask, j]`: written `x.index(i, j)`, `x.index(':', i, j)`, `x.index([0, 2])`.
 * Integers and slices index first (basic indexing, as PyTorch does); the index tensors then broadcast together
 * to a shape B, and the picked elements take B's dims where the tensors stood (all adjacent) or first (separated
 * by a slice). A bool tensor stands for the index tensors of its true entries (nonzero). The values of the index
 * tensors are read on the host, as PyTorch's CUDA does with a device sync; the result is one differentiable
 * index_select of the indexed dims merged into one.
 */

/** A spec as the user may write it: a JS array is an index tensor (a list), or a tuple of specs if it holds any. */
export type AdvancedSpec = IndexSpec | Tensor | readonly unknown[];

/** The host values of an index tensor as numbers (PyTorch guidance where the device reads asynchronously). */
function hostNumbers(t: Tensor): number[] {
  if (!t.device.supports('readSync')) {
    throw new Error(
      `indexing with a tensor needs its values on the host, and '${t.device}' tensors are read asynchronously: ` +
        `index with a CPU tensor (await idx.toAsync('cpu')), or use gather()/where() to stay on the device`,
    );
  }
  return Array.from(t.dataSync() as ArrayLike<number | bigint>, Number);
}

/** A plain slice object `{ start, stop, step }` (what `torch.sliceSpec` builds). */
function isSliceSpec(s: unknown): boolean {
  if (s === null || typeof s !== 'object' || Array.isArray(s) || s instanceof Tensor) return false;
  return Object.keys(s).every((k) => k === 'start' || k === 'stop' || k === 'step');
}

/**
 * The specs with JS arrays resolved: an array holding a tensor, a slice string, null or a nested tuple is a tuple
 * of specs (Python's `x[[i, j]]` with tensors inside is `x[i, j]`); an array of numbers or booleans is an index
 * tensor (Python's list index). Anything else raises, so no spec is silently ignored.
 */
export function resolveSpecs(specs: readonly AdvancedSpec[], like: Tensor): (IndexSpec | Tensor)[] {
  const out: (IndexSpec | Tensor)[] = [];
  for (const s of specs) {
    if (Array.isArray(s)) {
      const flat = (s as unknown[]).flat(Infinity);
      if (flat.every((v) => typeof v === 'number' || typeof v === 'boolean')) {
        const bool = flat.length > 0 && flat.every((v) => typeof v === 'boolean');
        out.push(tensor(s as number[], { dtype: bool ? 'bool' : 'int64', device: like.device }));
      } else out.push(...resolveSpecs(s as AdvancedSpec[], like));
    } else if (s === null || typeof s === 'number' || typeof s === 'string' || s instanceof Tensor || isSliceSpec(s)) {
      out.push(s as IndexSpec | Tensor);
    } else {
      throw new TypeError(`index: expected an integer, a slice ('1:3', torch.sliceSpec), null, '...', a tensor or an array of indices, got ${String(s)}`);
    }
  }
  return out;
}

/** An index tensor's entries for a dim of `size`, negative ones from the end, checked as PyTorch does. */
function wrapped(values: number[], dim: number, size: number): number[] {
  return values.map((v) => {
    if (!Number.isInteger(v) || v < -size || v >= size) throw new RangeError(`index ${v} is out of bounds for dimension ${dim} with size ${size}`);
    return v < 0 ? v + size : v;
  });
}

/** Row-major position of each element of `shape` in a tensor of `from` broadcast to it. */
function broadcastSource(from: readonly number[], shape: readonly number[]): number[] {
  const lead = shape.length - from.length;
  const total = shape.reduce((a, b) => a * b, 1);
  const out = new Array<number>(total);
  for (let i = 0; i < total; i++) {
    let rest = i;
    let at = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= lead; d--) {
      const coord = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      const size = from[d - lead];
      if (size !== 1) at += coord * stride;
      stride *= size;
    }
    out[i] = at;
  }
  return out;
}

/** A bool (or, as PyTorch allows, uint8) tensor indexes as a mask over as many dims as it has. */
const isMask = (t: Tensor): boolean => t.dtype === 'bool' || t.dtype === 'uint8';

/** `x.index(...specs)` with one or more tensors among the specs (see the file comment). */
export function indexWithTensors(x: Tensor, specs: readonly (IndexSpec | Tensor)[]): Tensor {
  // Basic indexing first, with each tensor's dims kept in place (':'), noting which dims of the result they index.
  const tensors = specs.filter((s): s is Tensor => s instanceof Tensor);
  const consumedByTensors = tensors.reduce((n, t) => n + (isMask(t) ? t.ndim : 1), 0);
  const basic: IndexSpec[] = [];
  for (const s of specs) {
    if (s instanceof Tensor) for (let i = 0; i < (isMask(s) ? s.ndim : 1); i++) basic.push(':');
    else basic.push(s);
  }
  const y = index(x, ...basic);
  // Where each tensor lands in y: count the dims the specs before it keep or add.
  const targets: { dim: number; tensor: Tensor }[] = [];
  let dim = 0;
  const ellipsisDims = x.ndim - (specs.filter((s) => s !== null && s !== '...' && !(s instanceof Tensor)).length + consumedByTensors);
  for (const s of specs) {
    if (s instanceof Tensor) {
      targets.push({ dim, tensor: s });
      dim += isMask(s) ? s.ndim : 1;
    } else if (s === '...') dim += ellipsisDims;
    else if (typeof s !== 'number') dim++;
  }
  const { dims, sizes, shape: b, linear } = linearize(y.shape, targets);
  // The indexed dims, merged into one: in place if adjacent, else moved to the front first (PyTorch's rule).
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1] + 1);
  const order = adjacent ? y.shape.map((_, d) => d) : [...dims, ...y.shape.map((_, d) => d).filter((d) => !dims.includes(d))];
  const moved = adjacent ? y : permute(y, order);
  const first = adjacent ? dims[0] : 0;
  const merged = reshape(moved, [...moved.shape.slice(0, first), sizes.reduce((a, c) => a * c, 1), ...moved.shape.slice(first + dims.length)]);
  const picked = indexSelect(merged, first, tensor(linear, { dtype: 'int64', device: x.device }));
  return reshape(picked, [...merged.shape.slice(0, first), ...b, ...merged.shape.slice(first + 1)]);
}

/** Index tensors resolved against the dims they index: the dims, their sizes, the broadcast shape and the row-major
 * position, within those dims merged into one, of every picked element. */
export interface Linearized {
  dims: number[];
  sizes: number[];
  shape: number[];
  linear: number[];
}

/**
 * The index tensors `targets` (each at the dim of `shape` it starts at; a bool tensor covers one dim per dim of its
 * own, standing for its true entries' coordinates), checked and broadcast together, as positions within the
 * indexed dims merged into one.
 */
export function linearize(shape: readonly number[], targets: readonly { dim: number; tensor: Tensor }[]): Linearized {
  // Each bool tensor becomes one index per dim it covers (its true entries' coordinates).
  const dims: number[] = [];
  const indices: { shape: readonly number[]; values: number[] }[] = [];
  for (const { dim: at, tensor: t } of targets) {
    // A uint8 (byte) index is a mask, as in PyTorch.
    if (t.dtype === 'bool' || t.dtype === 'uint8') {
      for (let i = 0; i < t.ndim; i++) {
        if (shape[at + i] !== t.shape[i]) {
          throw new RangeError(`The shape of the mask ${formatShape(t.shape)} at index ${i} does not match the shape of the indexed tensor ${formatShape(shape)} at index ${at + i}`);
        }
      }
      const coords = trueCoordinates(hostNumbers(t), t.shape);
      coords.forEach((values, i) => {
        dims.push(at + i);
        indices.push({ shape: [values.length], values });
      });
    } else {
      if (t.dtype !== 'int64') throw new TypeError('tensors used as indices must be long, byte or bool tensors');
      dims.push(at);
      // PyTorch names the position among the index tensors (it indexes with them moved to the front).
      indices.push({ shape: t.shape, values: wrapped(hostNumbers(t), indices.length, shape[at]) });
    }
  }
  let b: number[];
  try {
    b = indices.reduce<number[]>((acc, i) => broadcastShapes(acc, i.shape), []);
  } catch {
    throw new RangeError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${indices.map((i) => formatShape(i.shape)).join(', ')}`);
  }
  const sizes = dims.map((d) => shape[d]);
  const count = b.reduce((a, c) => a * c, 1);
  const linear = new Array<number>(count).fill(0);
  indices.forEach((idx, k) => {
    const source = broadcastSource(idx.shape, b);
    for (let i = 0; i < count; i++) linear[i] = linear[i] * sizes[k] + idx.values[source[i]];
  });
  return { dims, sizes, shape: b, linear };
}

/** The coordinates of a bool tensor's true entries, one list per dim (row-major order, as nonzero gives them). */
function trueCoordinates(values: number[], shape: readonly number[]): number[][] {
  const coords: number[][] = shape.map(() => []);
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, c) => a * c, 1));
  values.forEach((v, i) => {
    if (v) shape.forEach((size, d) => coords[d].push(Math.floor(i / strides[d]) % size));
  });
  return coords;
}
