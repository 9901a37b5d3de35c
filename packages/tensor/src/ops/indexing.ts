import { promoteTypes } from '../dtype.js';
import { dimOnly, type DimOr } from '../options.js';
import { NO_PARAMS, run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import { broadcastShapes, formatShape, normalizeDim, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { operands, resultType, scalarTensor, type TensorLike } from './scalar.js';
import { select, slice, unsqueeze, viewOf } from './views.js';
import { presentAs } from './present-as.js';

/** One entry of `x.index(...)`: Python's `start:stop:step` as a string or object, an integer, `'...'` or null (new axis). */
export type IndexSpec = number | string | null | SliceSpec;

export interface SliceSpec {
  start?: number | null;
  stop?: number | null;
  step?: number | null;
}

/** `torch.slice(1, 3)` builds the `1:3` of `x[1:3]`. */
export function sliceSpec(start: number | null = null, stop: number | null = null, step: number | null = null): SliceSpec {
  return { start, stop, step };
}

function parseSlice(text: string): SliceSpec {
  const parts = text.split(':');
  if (parts.length > 3) throw new SyntaxError(`invalid slice '${text}': expected start:stop:step`);
  const num = (s: string | undefined) => {
    if (s === undefined || s.trim() === '') return null;
    const v = Number(s);
    if (!Number.isInteger(v)) throw new SyntaxError(`invalid slice '${text}': '${s}' is not an integer`);
    return v;
  };
  return { start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) };
}

/**
 * Basic indexing, as Python's `x[0, 1:3, ::2]`: `x.index(0, '1:3', '::2')`. Integers select (and drop the dim),
 * slices keep it, `'...'` fills the remaining dims, null inserts a size-1 dim. Every result is a view.
 */
export function index(x: Tensor, ...specs: IndexSpec[]): Tensor {
  const consumed = specs.filter((s) => s !== null && s !== '...').length;
  if (consumed > x.shape.length) {
    throw new RangeError(`too many indices for tensor of dimension ${x.shape.length}`);
  }
  const expanded: IndexSpec[] = [];
  for (const s of specs) {
    if (s === '...') for (let i = 0; i < x.shape.length - consumed; i++) expanded.push(':');
    else expanded.push(s);
  }
  let out = x;
  let dim = 0;
  for (const s of expanded) {
    if (s === null) {
      out = unsqueeze(out, dim++);
    } else if (typeof s === 'number') {
      out = select(out, dim, s);
    } else {
      const { start, stop, step } = typeof s === 'string' ? parseSlice(s) : s;
      if (start != null || stop != null || (step != null && step !== 1)) out = slice(out, dim, start ?? null, stop ?? null, step ?? 1);
      dim++;
    }
  }
  return out;
}

const catForward: OpBody<'cat' | 'stack', Tensor> = (inputs, { dim: d }, device) => {
  const parts = inputs.filter((t) => !(t.shape.length === 1 && t.shape[0] === 0));
  const first = parts[0] ?? inputs[0];
  const shape = first.shape.slice();
  shape[d] = parts.reduce((n, t) => n + t.shape[d], 0);
  // The parts cover every element, so the buffer needs no zero fill first.
  const out = k.empty(device, shape, first.dtype);
  let at = 0;
  for (const part of parts) {
    const strides = out._strides;
    const dst = viewOf(out, part.shape, strides, at * strides[d]);
    k.copyInto(part, dst);
    at += part.shape[d];
  }
  return out;
};

function checkCatShapes(tensors: readonly Tensor[], dim: number): void {
  const ref = tensors.find((t) => !(t.shape.length === 1 && t.shape[0] === 0)) ?? tensors[0];
  tensors.forEach((t, i) => {
    if (t.shape.length === 1 && t.shape[0] === 0) return;
    if (t.shape.length !== ref.shape.length) {
      throw new RangeError(
        `Tensors must have same number of dimensions: got ${ref.shape.length} and ${t.shape.length}`,
      );
    }
    for (let d = 0; d < ref.shape.length; d++) {
      if (d !== dim && t.shape[d] !== ref.shape[d]) {
        throw new RangeError(
          `Sizes of tensors must match except in dimension ${dim}. Expected size ${ref.shape[d]} but got size ${t.shape[d]} for tensor number ${i} in the list.`,
        );
      }
    }
  });
}

function promoteAll(tensors: readonly Tensor[]): readonly Tensor[] {
  let dtype = tensors[0].dtype;
  let mixed = false;
  for (let i = 1; i < tensors.length; i++) {
    if (tensors[i].dtype !== dtype) {
      mixed = true;
      dtype = promoteTypes(dtype, tensors[i].dtype);
    }
  }
  if (!mixed) return tensors;
  return tensors.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
}

/** Joins tensors along an existing dim. */
export function cat(tensors: readonly Tensor[], dimOr: DimOr<number> = 0): Tensor {
  const dim = dimOnly('cat', dimOr, 0);
  if (tensors.length === 0) throw new RangeError('torch.cat(): expected a non-empty list of Tensors');
  const ref = tensors.find((t) => !(t.shape.length === 1 && t.shape[0] === 0)) ?? tensors[0];
  if (ref.shape.length === 0) throw new RangeError('zero-dimensional tensor (at position 0) cannot be concatenated');
  const d = normalizeDim(dim, ref.shape.length);
  checkCatShapes(tensors, d);
  return run('cat', promoteAll(tensors), { dim: d }, catForward);
}

/** `values` with `value` inserted at `index`. */
function insertAt(values: readonly number[], index: number, value: number): number[] {
  const out = new Array<number>(values.length + 1);
  for (let i = 0, j = 0; i < out.length; i++) out[i] = i === index ? value : values[j++];
  return out;
}

/** Each input viewed with a size-1 dim at `dim` (one shared shape: the inputs' shapes are equal), then cat. */
const stackForward: OpBody<'stack', Tensor> = (inputs, params, device) => {
  const d = params.dim;
  const shape = insertAt(inputs[0].shape, d, 1);
  const parts = new Array<Tensor>(inputs.length);
  for (let i = 0; i < inputs.length; i++) parts[i] = viewOf(inputs[i], shape, insertAt(inputs[i]._strides, d, 1));
  return catForward(parts, params, device);
};

/** Joins tensors of equal shape along a new dim. */
export function stack(tensors: readonly Tensor[], dimOr: DimOr<number> = 0): Tensor {
  const dim = dimOnly('stack', dimOr, 0);
  if (tensors.length === 0) throw new RangeError('stack expects a non-empty TensorList');
  const ref = tensors[0];
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, ref.shape)) {
      throw new RangeError(
        `stack expects each tensor to be equal size, but got ${formatShape(ref.shape)} at entry 0 and ${formatShape(t.shape)} at entry ${i}`,
      );
    }
  });
  const d = normalizeDim(dim, ref.shape.length + 1);
  return run('stack', promoteAll(tensors), { dim: d }, stackForward);
}

function checkIndexTensor(name: string, index: Tensor): void {
  if (index.dtype !== 'int64') {
    throw new TypeError(`${name}(): Expected dtype int64 for index, got ${index.dtype}; convert it with index.long()`);
  }
}

/** index_select (and the adjoint ops inside autograd) take int32 indices too, as PyTorch's index_select does. */
function checkIndexInt32Or64(name: string, index: Tensor): void {
  if (index.dtype !== 'int64' && index.dtype !== 'int32') {
    throw new TypeError(`${name}(): Expected dtype int32 or int64 for index, got ${index.dtype}; convert it with index.long()`);
  }
}

const gatherForward: OpBody<'gather', Tensor> = ([x, index], { dim }) => k.gather(x, dim, index);

/** `out[i][j] = x[i][index[i][j]]` for dim 1 (generally, `index` picks along `dim`). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor('gather', index);
  return gatherChecked(x, dim, index);
}

/** gather once the index dtype is known good (int64, or int32 from index_select). */
export function gatherChecked(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.shape.length);
  if (index.shape.length !== x.shape.length) {
    throw new RangeError('Index tensor must have the same number of dimensions as input tensor');
  }
  for (let i = 0; i < x.shape.length; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) {
      throw new RangeError(
        `Size does not match at dimension ${i} expected index ${formatShape(index.shape)} to be smaller than self ${formatShape(x.shape)} apart from dimension ${d}`,
      );
    }
  }
  return run('gather', [x, index], { dim: d }, gatherForward);
}

const scatterAddForward: OpBody<'scatterAdd', Tensor> = ([src, index], { dim, shape }) => k.scatterAdd(shape, dim, index, src);

/** Zeros of `shape` with `src` added at `index` along `dim`: the adjoint of gather. */
export function scatterAddZeros(shape: readonly number[], dim: number, index: Tensor, src: Tensor): Tensor {
  checkIndexInt32Or64('scatterAdd', index);
  return run('scatterAdd', [src, index], { dim: normalizeDim(dim, shape.length), shape }, scatterAddForward);
}

/** `x.scatterAdd(dim, index, src)`: `x` plus `src` accumulated at `index`, out of place. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkIndexTensor('scatter_add', index);
  return presentAs(x.add(scatterAddZeros(x.shape, dim, index, src.to(x.dtype))), 'ScatterAddBackward0', [x]);
}

/** Rows (or slices along `dim`) picked by a 1-D index, as torch.index_select; built on gather. */
export function indexSelect(x: Tensor, dim: number, idx: Tensor): Tensor {
  checkIndexInt32Or64('index_select', idx);
  if (idx.shape.length > 1) throw new RangeError('index_select(): Index is supposed to be a vector');
  const d = normalizeDim(dim, x.shape.length);
  const flat = idx.reshape([-1]);
  const shape = x.shape.slice();
  shape[d] = flat.shape[0];
  const viewShape = x.shape.map((_, i) => (i === d ? flat.shape[0] : 1));
  const expanded = flat.reshape(viewShape).expand(shape);
  return presentAs(gatherChecked(x, d, expanded), 'IndexSelectBackward0', [x]);
}

const whereForward: OpBody<'where', Tensor> = ([cond, a, b]) =>
  k.where(cond, a, b, broadcastShapes(cond.shape, broadcastShapes(a.shape, b.shape)));

/** Elementwise `cond ? a : b`, broadcasting all three. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (cond.dtype !== 'bool') throw new TypeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype}`);
  const dtype = resultType(a, b);
  // `torch.where(outputs > 0.5, 1, 0)`: two numbers live on the condition's device.
  const [x, y] = a instanceof Tensor || b instanceof Tensor ? operands(a, b, dtype) : [scalarTensor(a, dtype, cond.device), scalarTensor(b, dtype, cond.device)];
  return run('where', [cond, x, y], NO_PARAMS, whereForward);
}

