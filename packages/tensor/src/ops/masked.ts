import { broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import { splitDim, type DimOr } from '../options.js';
import { Tensor } from '../tensor.js';
import { full } from './creation.js';
import { gather, where } from './indexing.js';
import { scalarTypeName } from '../dtype.js';
import { sum, type ReduceOptions } from './reduction.js';
import { presentAs } from './present-as.js';

/**
 * `x.maskedFill(mask, value)`: `value` where the bool `mask` (broadcast to `x`'s shape) is true, `x` elsewhere, in
 * `x`'s dtype. `value` is a number or a 0-d tensor (its gradient is the sum over the filled places).
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number | boolean | Tensor): Tensor {
  if (mask.dtype !== 'bool') {
    // PyTorch 1.13 still takes a 0/1 mask of another dtype, as a bool one.
    if (mask.device.supports('readSync') && Array.from(mask.dataSync(), Number).some((v) => v !== 0 && v !== 1)) {
      throw new RangeError('Mask tensor can take 0 and 1 values only');
    }
    mask = mask.ne(0);
  }
  if (!shapesEqual(broadcastShapes(x.shape, mask.shape), x.shape)) {
    throw new RangeError(`The mask of shape ${formatShape(mask.shape)} cannot be broadcast to the tensor's shape ${formatShape(x.shape)}`);
  }
  let fill: Tensor;
  if (value instanceof Tensor) {
    if (value.ndim !== 0) {
      throw new RangeError(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
    }
    fill = value.dtype === x.dtype ? value : value.to(x.dtype);
  } else fill = full([], Number(value), { dtype: x.dtype, device: x.device });
  return presentAs(where(mask, fill, x), value instanceof Tensor ? 'MaskedFillBackward1' : 'MaskedFillBackward0', [x]);
}

/** True where some element along `dim` (or anywhere) is nonzero, as `torch.any` (bool result). */
export function any(x: Tensor, dimOr?: DimOr<number, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('any', dimOr, given, 'keepdim');
  return sum(x.ne(0).to('int32'), dim, options).gt(0);
}

/** True where every element along `dim` (or everywhere) is nonzero, as `torch.all` (bool result). */
export function all(x: Tensor, dimOr?: DimOr<number, ReduceOptions>, given?: ReduceOptions | boolean): Tensor {
  const [dim, options] = splitDim('all', dimOr, given, 'keepdim');
  return sum(x.eq(0).to('int32'), dim, options).eq(0);
}

/**
 * `x.maskedScatter(mask, source)`: `source`'s elements, in order, written where the mask (broadcast to `x`'s shape)
 * is true: the k-th true position takes `source.flatten()[k]`, found by a running count of the mask.
 */
export function maskedScatter(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  if (source.dtype !== x.dtype) {
    throw new TypeError(`masked_scatter: expected self and source to have same dtypes but got${scalarTypeName(x.dtype)} and ${scalarTypeName(source.dtype)}`);
  }
  if (!shapesEqual(broadcastShapes(x.shape, mask.shape), x.shape)) {
    throw new RangeError(`The mask of shape ${formatShape(mask.shape)} cannot be broadcast to the tensor's shape ${formatShape(x.shape)}`);
  }
  const m = (mask.dtype === 'bool' ? mask : mask.ne(0)).expand(x.shape);
  const flat = m.reshape([-1]);
  const position = flat.to('int64').cumsum(0).sub(1);
  const n = source.numel();
  if (flat.device.supports('readSync') && flat.numel() > 0 && Number(position.select(0, -1).item()) >= n) {
    throw new RangeError('Number of elements of source < number of ones in mask');
  }
  if (n === 0) return presentAs(x.clone(), 'MaskedScatterBackward0', [x]);
  const values = gather(source.reshape([-1]), 0, where(flat, position, 0).clamp(0, n - 1)).reshape(x.shape);
  return presentAs(where(m, values, x), 'MaskedScatterBackward0', [x]);
}
