import type { DType } from '@descent/backend';
import { hostArray } from '@descent/backend';
import { promoteTypes, scalarDType, type Scalar } from '../dtype.js';
import type { Device } from '../device.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { fromHost } from './upload.js';

/** A tensor, or a plain JS number/boolean that takes part in an op as PyTorch's "wrapped number" does. */
export type TensorLike = Tensor | Scalar;

const SCALAR_CACHE_LIMIT = 256;
/** Keyed by device, then dtype, then the number itself (a string key would format the number on every op). */
const scalarCache = new Map<Device, Record<DType, Map<number, Tensor>>>();

/**
 * A 0-d tensor holding `value` on `device`. Ops take plain numbers as operands all the time (`x.mul(lr)`), so
 * these constants are cached: they are internal, read-only operands, never handed to user code to mutate.
 */
export function scalarTensor(value: Scalar, dtype: DType, device: Device): Tensor {
  const v = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  // Map keys equate -0 with 0, but x * -0 differs from x * 0 in sign: -0 is never cached.
  if (v === 0 && 1 / v < 0) return uploadScalar(v, dtype, device);
  let perDevice = scalarCache.get(device);
  if (!perDevice) scalarCache.set(device, (perDevice = { float32: new Map(), int32: new Map(), bool: new Map() }));
  const perDType = perDevice[dtype];
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

function uploadScalar(v: number, dtype: DType, device: Device): Tensor {
  const data = hostArray(dtype, 1);
  data[0] = v;
  return fromHost(device, data, [], dtype);
}

/** The dtype of `a op b` under PyTorch's promotion rules. */
export function resultType(a: TensorLike, b: TensorLike): DType {
  const da = a instanceof Tensor ? a.dtype : scalarDType(a);
  const db = b instanceof Tensor ? b.dtype : scalarDType(b);
  return promoteTypes(da, db);
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
