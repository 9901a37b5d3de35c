import type { AdamUpdate, SgdUpdate } from '@descent/backend';
import type { Device } from '../device.js';
import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';

/** Buffers a fused update can work on: float32, contiguous and whole (no view into a larger storage). */
function whole(t: Tensor | null, device: Device, numel: number): boolean {
  return t === null || (t.device === device && t.dtype === 'float32' && t.isContiguous() && t._offset === 0 && t._storage.numel === numel);
}

function touch(tensors: readonly Tensor[]): void {
  for (const t of tensors) t._storage.version++;
}

/** Inputs: param, grad, then the momentum buffer when there is one. */
const sgdBody: OpBody<'sgdStep', void> = ([param, grad, momentum], h) => {
  k.sgdUpdate(param, grad, momentum ?? null, h);
  touch(momentum ? [param, momentum] : [param]);
};

/** Inputs: param, grad, expAvg, expAvgSq, then maxExpAvgSq under AMSGrad. */
const adamBody: OpBody<'adamStep', void> = ([param, grad, expAvg, expAvgSq, maxExpAvgSq], h) => {
  k.adamUpdate(param, grad, expAvg, expAvgSq, maxExpAvgSq ?? null, h);
  touch(maxExpAvgSq ? [param, expAvg, expAvgSq, maxExpAvgSq] : [param, expAvg, expAvgSq]);
};

/**
 * One SGD step in a single fused kernel when the parameter's backend has one (the CPU's gives the composed path's
 * bits; GPUs'); returns false otherwise, and the optimizer composes the step op by op.
 */
export function fusedSgdStep_(param: Tensor, grad: Tensor, momentumBuffer: Tensor | null, h: SgdUpdate): boolean {
  const device = param.device;
  const n = param.numel();
  if (!device.supports('sgdUpdate') || ![param, grad, momentumBuffer].every((t) => whole(t, device, n))) return false;
  run('sgdStep', momentumBuffer ? [param, grad, momentumBuffer] : [param, grad], h, sgdBody);
  return true;
}

/** One Adam/AdamW step in a single fused kernel when the backend has one; false otherwise. */
export function fusedAdamStep_(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  maxExpAvgSq: Tensor | null,
  h: AdamUpdate,
): boolean {
  const device = param.device;
  const n = param.numel();
  if (!device.supports('adamUpdate') || ![param, grad, expAvg, expAvgSq, maxExpAvgSq].every((t) => whole(t, device, n))) return false;
  const inputs = maxExpAvgSq ? [param, grad, expAvg, expAvgSq, maxExpAvgSq] : [param, grad, expAvg, expAvgSq];
  run('adamStep', inputs, h, adamBody);
  return true;
}
