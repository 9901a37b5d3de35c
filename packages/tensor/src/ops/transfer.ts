import type { HostArray } from '@descent/backend';
import type { Device } from '../device.js';
import { run, type OpBody } from '../gate.js';
import { enableGrad, gradMode, noGrad } from '../grad-mode.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';
import { fromHost } from './upload.js';

/** The tensor itself when its elements already fill its buffer in order, else a contiguous copy. */
function packed(t: Tensor): Tensor {
  const n = t.numel();
  return t.isContiguous() && t._offset === 0 && t._storage.numel === n ? t : k.copyContiguous(t);
}

/** Row-major elements; on the CPU this may share memory with the tensor, as `numpy()` does in PyTorch. */
export function readSync(t: Tensor): HostArray {
  if (!t.device.supports('readSync')) {
    throw new Error(
      `Cannot read a tensor on '${t.device}' synchronously: GPU reads are asynchronous. ` +
        'Use await tensor.dataAsync(), tensor.itemAsync(), tensor.tolistAsync() or tensor.toStringAsync().',
    );
  }
  return k.readSync(packed(t));
}

export async function readAsync(t: Tensor): Promise<HostArray> {
  return k.readAsync(packed(t));
}

/**
 * The one value as a number: a bool tensor gives 1 or 0 (truthy as PyTorch's True/False; `tolist()` gives booleans).
 * An int64 value beyond ±2^53 has no exact number: that raises instead of rounding (`tolist()` gives it as a bigint).
 */
export function item(data: HostArray): number {
  if (data.length !== 1) throw new RangeError(`a Tensor with ${data.length} elements cannot be converted to Scalar`);
  const v = data[0];
  if (typeof v === 'number') return v;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`item(): the int64 value ${v} is not exactly a JS number; read it with tolist(), which gives a bigint`);
  }
  return n;
}

/** An int64 element as a number when that is exact, else as a bigint. */
function exact(v: number | bigint): number | bigint {
  if (typeof v === 'number') return v;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/**
 * Nested arrays of the values: numbers (int64 ones beyond ±2^53 as bigints, the only exact form), booleans for a
 * bool tensor.
 */
export function nest(t: Tensor, data: HostArray): unknown {
  const asValue = (v: number | bigint) => (t.dtype === 'bool' ? v !== 0 : exact(v));
  if (t.shape.length === 0) return asValue(data[0]);
  let at = 0;
  const build = (depth: number): unknown[] => {
    const size = t.shape[depth];
    const out = new Array<unknown>(size);
    for (let i = 0; i < size; i++) out[i] = depth === t.shape.length - 1 ? asValue(data[at++]) : build(depth + 1);
    return out;
  };
  return build(0);
}

/**
 * `x.to(device)`: a copy on another device through the host, recorded as ToCopyBackward0 when `t` requires grad (a
 * leaf gives a non-leaf whose gradient flows back to it, as in PyTorch). From a GPU this needs an asynchronous read:
 * use `toAsync`. The same tensor when it is already there.
 */
export function toDevice(t: Tensor, device: Device): Tensor {
  if (t.device === device) return t;
  if (!t.device.supports('readSync')) {
    throw new Error(
      `Cannot move a tensor from '${t.device}' to '${device}' synchronously: GPU reads are asynchronous. ` +
        `Use await tensor.toAsync('${device}').`,
    );
  }
  return run('toDevice', [t], { from: t.device, to: device }, syncMoveBody, device);
}

/**
 * `toDevice` from any device: reads asynchronously, then copies. The copy records by the grad mode in force at the
 * call, not at the later moment the read resolves (`setGradEnabled(false)` around the call holds, as in PyTorch).
 */
export async function toDeviceAsync(t: Tensor, device: Device): Promise<Tensor> {
  if (t.device === device) return t;
  const recording = gradMode.enabled;
  const data = (await readAsync(t)).slice();
  const move = () => run('toDevice', [t], { from: t.device, to: device }, asyncMoveBody(data), device);
  return recording ? enableGrad(move) : noGrad(move);
}

const syncMoveBody: OpBody<'toDevice', Tensor> = ([x], { to }) => fromHost(to, readSync(x).slice(), x.shape, x.dtype);

/** The host data read before the op travels in the closure. */
function asyncMoveBody(data: HostArray): OpBody<'toDevice', Tensor> {
  return ([x], { to }) => fromHost(to, data, x.shape, x.dtype);
}
