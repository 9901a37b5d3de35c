import { DTYPES, type DType, type HostArray } from '@descent/backend';
import { device as resolveDevice, type DeviceLike } from '../device.js';
import { legacyTypeName } from '../dtype.js';
import { cast } from '../ops/cast.js';
import * as transfer from '../ops/transfer.js';
import { defineMethods } from './define.js';

declare module '../tensor.js' {
  interface Tensor {
    /** The elements in row-major order, read synchronously (CPU only; use `dataAsync()` on a GPU). */
    dataSync(): HostArray;
    /** The elements in row-major order; works on every device. */
    dataAsync(): Promise<HostArray>;
    /**
     * The value of a one-element tensor as a JS number, so `loss.item().toFixed(4)` type-checks; a bool tensor gives
     * 1 or 0.
     */
    item(): number;
    itemAsync(): Promise<number>;
    /** Nested arrays of numbers (booleans for bool tensors), as `tensor.tolist()`. */
    tolist(): unknown;
    tolistAsync(): Promise<unknown>;
    /**
     * Moves to a device or converts the dtype: `x.to('webgpu')`, `x.to('float32')`; `x` itself when nothing changes.
     * Differentiable (ToCopyBackward0): the gradient goes back to `x`'s device and dtype. Backward from a GPU to the
     * CPU would need a synchronous read and throws: keep tensors that require grad on the loss's device.
     */
    to(target: DeviceLike | DType): Tensor;
    /** `to(device)` that also works from a GPU, whose reads are asynchronous; differentiable as `to`. */
    toAsync(target: DeviceLike): Promise<Tensor>;
    cpu(): Tensor;
    float(): Tensor;
    int(): Tensor;
    /** PyTorch's type name of the tensor, as `x.type()` without arguments: `'torch.FloatTensor'`, `'torch.LongTensor'`. */
    type(): string;
    /** float64. */
    double(): Tensor;
    /** int64, PyTorch's default integer dtype. */
    long(): Tensor;
    /** int16. */
    short(): Tensor;
    /** int8. */
    char(): Tensor;
    /** uint8. */
    byte(): Tensor;
    bool(): Tensor;
  }
}

defineMethods({
  dataSync() {
    return transfer.readSync(this);
  },
  dataAsync() {
    return transfer.readAsync(this);
  },
  item() {
    return transfer.item(this.dataSync());
  },
  async itemAsync() {
    return transfer.item(await this.dataAsync());
  },
  tolist() {
    return transfer.nest(this, this.dataSync());
  },
  async tolistAsync() {
    return transfer.nest(this, await this.dataAsync());
  },
  to(target) {
    if (typeof target === 'string' && (DTYPES as readonly string[]).includes(target)) return cast(this, target as DType);
    return transfer.toDevice(this, resolveDevice(target));
  },
  toAsync(target) {
    return transfer.toDeviceAsync(this, resolveDevice(target));
  },
  cpu() {
    return this.to('cpu');
  },
  float() {
    return cast(this, 'float32');
  },
  int() {
    return cast(this, 'int32');
  },
  type() {
    return legacyTypeName(this.dtype);
  },
  double() {
    return cast(this, 'float64');
  },
  long() {
    return cast(this, 'int64');
  },
  short() {
    return cast(this, 'int16');
  },
  char() {
    return cast(this, 'int8');
  },
  byte() {
    return cast(this, 'uint8');
  },
  bool() {
    return cast(this, 'bool');
  },
});
