import type { DType } from '@descent/backend';
import { hostArray } from '@descent/backend';
import { promoteTypes, resultTypeOf, resultTypeWithNumber, scalarDType, type Scalar } from '../dtype.js';
import type { Device } from '../device.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { fromHost } from './upload.js';
import { checkedElement } from './convert.js';

/** A tensor, or a plain JS number/boolean/bigint that takes part in an op as PyTorch's "wrapped number" does. */
export type TensorLike = Tensor | Scalar;

const SCALAR_CACHE_LIMIT = 256;
/** Keyed by device, then dtype, then the value itself (a string key would format the number on every op). */
const scalarCache = new Map<Device, Map<DType, Map<number | bigint, Tensor>>>();

/**
 * A 0-d tensor holding `value` on `device`. Ops take plain numbers as operands all the time (`x.mul(lr)`), so
 * these constants are cached: they are internal, read-only operands, never handed to user code to mutate.
 */
export function scalarTensor(value: Scalar, dtype: DType, device: Device): Tensor {
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  // Map keys equate -0 with 0, but x * -0 differs from x * 0 in sign: -0 is never cached.
  if (v === 0 && 1 / v < 0) return uploadScalar(v, dtype, device);
  let perDevice = scalarCache.get(device);
  if (!perDevice) scalarCache.set(device, (perDevice = new Map()));
  let perDType = perDevice.get(dtype);
  if (!perDType) perDevice.set(dtype, (perDType = new Map()));
  let t = perDType.get(v);
  if (!t) {
    if (perDType.size >= SCALAR_CACHE_LIMIT) perDType.clear();
    t = uploadScalar(v, dtype, device);
    // Cached across calls: a scope() that happens to create it must not dispose it.
    t._storage.pinned = true;
    perDType.set(v, t);
  }
  return t;
}

function uploadScalar(v: number | bigint, dtype: DType, device: Device): Tensor {
  const data = hostArray(dtype, 1);
  data[0] = checkedElement(v, dtype) as never;
  return fromHost(device, data, [], dtype);
}

/** The dtype of `a op b` under PyTorch's `result_type`: dimensioned tensors first, then 0-d tensors, then numbers. */
export function resultType(a: TensorLike, b: TensorLike): DType {
  // The common case, two tensors of one dtype (every op of a training step), decides nothing.
  if (a instanceof Tensor) {
    if (!(b instanceof Tensor)) return resultTypeWithNumber(a.dtype, b);
    if (a.dtype === b.dtype) return a.dtype;
  } else if (b instanceof Tensor) {
    return resultTypeWithNumber(b.dtype, a);
  }
  const groups: [DType | null, DType | null, DType | null] = [null, null, null];
  join(groups, a);
  join(groups, b);
  return resultTypeOf(groups[0], groups[1], groups[2]);
}

/** Adds one operand to its `result_type` group: 0 dimensioned tensors, 1 zero-dim tensors, 2 wrapped numbers. */
function join(groups: [DType | null, DType | null, DType | null], x: TensorLike): void {
  const group = x instanceof Tensor ? (x.shape.length > 0 ? 0 : 1) : 2;
  const dtype = x instanceof Tensor ? x.dtype : scalarDType(x);
  const current = groups[group];
  groups[group] = current === null ? dtype : promoteTypes(current, dtype);
}

/** Both operands as tensors of `dtype` on the tensor operand's device (casts are differentiable). */
export function operands(a: TensorLike, b: TensorLike, dtype: DType): [Tensor, Tensor] {
  const device = a instanceof Tensor ? a.device : (b as Tensor).device;
  return [toOperand(a, dtype, device), toOperand(b, dtype, device)];
}

function toOperand(x: TensorLike, dtype: DType, device: Device): Tensor {
  if (x instanceof Tensor) return x.dtype === dtype ? x : cast(x, dtype);
  return scalarTensor(x, dtype, device);
}
