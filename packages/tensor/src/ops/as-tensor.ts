import type { DType } from '@descent/backend';
import { bindArgs } from '../call-args.js';
import { device as resolveDevice, type DeviceLike } from '../device.js';
import { Tensor } from '../tensor.js';
import { tensor, type NestedArray } from './creation.js';

export interface AsTensorOptions {
  dtype?: DType;
  device?: DeviceLike;
}

/**
 * `torch.as_tensor(data, dtype=None, device=None)`. A tensor that already has the dtype and device is returned as
 * is (the same object, history and all, as PyTorch); otherwise it is converted with `to`, which keeps its history
 * (`ToCopyBackward0`), unlike `torch.tensor`. Nested arrays and TypedArrays become a new tensor; a TypedArray's
 * values are copied, because a backend keeps its own storage (PyTorch shares a NumPy array's memory).
 */
export function asTensor(data: NestedArray | ArrayBufferView, ...args: [options?: AsTensorOptions]): Tensor {
  // dtype and device are keyword-only in PyTorch 1.13.
  const { dtype, device } = bindArgs<AsTensorOptions>({ fn: 'as_tensor', required: 1, positional: [], keywordOnly: ['dtype', 'device'] }, args);
  if (!(data instanceof Tensor)) return tensor(data, { dtype, device });
  const target = device === undefined ? data.device : resolveDevice(device);
  let out = data;
  if (target !== out.device) out = out.to(target);
  if (dtype !== undefined && dtype !== out.dtype) out = out.to(dtype);
  return out;
}
