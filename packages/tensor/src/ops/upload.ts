import type { DType, HostArray } from '@descent/backend';
import type { Device } from '../device.js';
import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';

/** The host data travels in the closure: it is what the op uploads, but not a tensor input. */
function uploadBody(data: HostArray): OpBody<'upload', Tensor> {
  return (_inputs, { shape, dtype }, device) => k.upload(device, data, shape, dtype);
}

const fullBody: OpBody<'full', Tensor> = (_inputs, { shape, value, dtype }, device) => k.full(device, shape, value, dtype);

/** A new tensor on `device` holding `data` (row-major, already in `dtype`'s host array type). */
export function fromHost(device: Device, data: HostArray, shape: readonly number[], dtype: DType): Tensor {
  return run('upload', [], { shape, dtype }, uploadBody(data), device);
}

/** A new tensor on `device` with every element `value`. */
export function filled(device: Device, shape: readonly number[], value: number, dtype: DType): Tensor {
  return run('full', [], { shape, value, dtype }, fullBody, device);
}
