import type { AdamUpdate, SgdUpdate } from '@descent/backend';
import type { Tensor } from '../tensor.js';

/** Buffers a fused update can work on: float32, contiguous and whole (no view into a larger storage). */
function whole(t: Tensor | null, device: Tensor['device'], numel: number): boolean {
  return t === null || (t.device === device && t.dtype === 'float32' && t.isContiguous() && t._offset === 0 && t._storage.numel === numel);
}

function touch(...tensors: (Tensor | null)[]): void {
  for (const t of tensors) if (t) t._storage.version++;
}

/**
 * One SGD step in a single fused kernel when the parameter's backend has one (GPUs); returns false otherwise,
 * and the optimizer composes the step op by op (the CPU path, bit-exact with PyTorch).
 */
export function fusedSgdStep_(param: Tensor, grad: Tensor, momentumBuffer: Tensor | null, h: SgdUpdate): boolean {
  const backend = param.device.backend;
  const n = param.numel();
  if (!backend.sgdUpdate || ![param, grad, momentumBuffer].every((t) => whole(t, param.device, n))) return false;
  backend.sgdUpdate(param._storage.buffer, grad._storage.buffer, momentumBuffer?._storage.buffer ?? null, n, h);
  touch(param, momentumBuffer);
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
  const backend = param.device.backend;
  const n = param.numel();
  if (!backend.adamUpdate || ![param, grad, expAvg, expAvgSq, maxExpAvgSq].every((t) => whole(t, param.device, n))) return false;
  const buffer = (t: Tensor) => t._storage.buffer;
  backend.adamUpdate(buffer(param), buffer(grad), buffer(expAvg), buffer(expAvgSq), maxExpAvgSq ? buffer(maxExpAvgSq) : null, n, h);
  touch(param, expAvg, expAvgSq, maxExpAvgSq);
  return true;
}
