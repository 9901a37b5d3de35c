import { keep, noGrad, type Device, type DeviceLike, type DType, type Tensor } from '@descent/tensor';
import { moveTensorData } from './move-tensor-data.js';

/**
 * Where a module's own parameters and buffers live and in which dtype: `module.to(device)` and
 * `module.to(dtype)` move or convert them in place, each Parameter object kept (its data replaced, as PyTorch's
 * `param.data = ...`), buffers replaced on the module.
 */
interface OwnState {
  _ownParameters(): [string, Tensor][];
  _ownBuffers(): [string, Tensor, boolean][];
}

/** The dtype names `module.to(...)` may get instead of a device. */
const DTYPE_NAMES: readonly string[] = ['float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool'];

export function isDTypeName(target: DeviceLike | DType): target is DType {
  if (typeof target !== 'string' || !DTYPE_NAMES.includes(target)) return false;
  if (target !== 'float32' && target !== 'float64') {
    throw new TypeError(`nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=${target}`);
  }
  return true;
}

export function moveOwnState(module: OwnState, device: Device): void {
  for (const [, p] of module._ownParameters()) {
    if (p.device === device) continue;
    moveTensorData(p, keep(p.to(device))); // the new storage is module state: kept like the old one
    if (p.grad) p.grad = p.grad.to(device);
  }
  for (const [name, buffer] of module._ownBuffers()) {
    if (buffer.device !== device) (module as unknown as Record<string, unknown>)[name] = buffer.to(device);
  }
}

export function castOwnState(module: OwnState, dtype: DType): void {
  for (const [, p] of module._ownParameters()) {
    if (p.dtype === dtype || !p.isFloatingPoint()) continue;
    moveTensorData(p, keep(noGrad(() => p.detach().to(dtype))), { changeDType: true });
    if (p.grad) p.grad = p.grad.to(dtype);
  }
  for (const [name, buffer] of module._ownBuffers()) {
    if (buffer.dtype !== dtype && buffer.isFloatingPoint()) (module as unknown as Record<string, unknown>)[name] = buffer.to(dtype);
  }
}
