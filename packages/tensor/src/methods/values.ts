import { DTYPES, type DType, type HostArray } from '@descent/backend';
import { Device, device as resolveDevice, type DeviceLike } from '../device.js';
import { legacyTypeName } from '../dtype.js';
import { cast } from '../ops/cast.js';
import { full, tensor, type CreationOptions, type NestedArray } from '../ops/creation.js';
import { Tensor as TensorType } from '../tensor.js';
import * as transfer from '../ops/transfer.js';
import { defineMethods } from './define.js';

interface ToOptions {
  device?: DeviceLike | null;
  dtype?: DType | null;
}

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
    /** `x.to(device, dtype)`, `x.to(other)` (its device and dtype), `x.to({ device, dtype })`, as PyTorch's overloads. */
    to(device: DeviceLike | null, dtype: DType): Tensor;
    to(other: TensorType): Tensor;
    to(options: { device?: DeviceLike | null; dtype?: DType | null }): Tensor;
    /** `to(device)` that also works from a GPU, whose reads are asynchronous; differentiable as `to`. */
    toAsync(target: DeviceLike): Promise<Tensor>;
    cpu(): Tensor;
    float(): Tensor;
    int(): Tensor;
    /** PyTorch's type name of the tensor, as `x.type()` without arguments: `'torch.FloatTensor'`, `'torch.LongTensor'`. */
    type(): string;
    /** `x.type(torch.float64)` / `x.type('torch.DoubleTensor')`: a copy in that dtype (`x` itself when it matches). */
    type(dtype: DType | string): Tensor;
    /** A tensor of `shape` filled with zeros, with this tensor's dtype and device unless the options say otherwise. */
    newZeros(shape: readonly number[], options?: CreationOptions): Tensor;
    newOnes(shape: readonly number[], options?: CreationOptions): Tensor;
    newFull(shape: readonly number[], value: number | boolean, options?: CreationOptions): Tensor;
    newEmpty(shape: readonly number[], options?: CreationOptions): Tensor;
    /** `data` as a new tensor with this tensor's dtype and device (unless the options say otherwise), as `new_tensor`. */
    newTensor(data: NestedArray | ArrayBufferView, options?: CreationOptions): Tensor;
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
  to(target: DeviceLike | DType | TensorType | ToOptions | null, dtype?: DType) {
    if (typeof target === 'string' && (DTYPES as readonly string[]).includes(target)) return cast(this, target as DType);
    // PyTorch's other overloads: to(device, dtype), to(other), and both by keyword; the device move comes first.
    let options: ToOptions;
    if (target instanceof TensorType) options = { device: target.device, dtype: target.dtype };
    else if (target === null || (typeof target === 'object' && !(target instanceof Device))) options = target ?? {};
    else options = { device: target };
    if (dtype !== undefined) options = { ...options, dtype };
    const moved = options.device == null ? this : transfer.toDevice(this, resolveDevice(options.device));
    return options.dtype == null ? moved : moved.to(options.dtype);
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
  type(dtype?: DType | string) {
    if (dtype === undefined) return legacyTypeName(this.dtype) as never;
    const target = (DTYPES as readonly string[]).includes(dtype) ? (dtype as DType) : DTYPES.find((d) => legacyTypeName(d) === dtype);
    if (target === undefined) throw new TypeError(`invalid type: '${dtype}'`);
    return cast(this, target) as never;
  },
  newZeros(shape, options = {}) {
    return full(shape, 0, like(this, options));
  },
  newOnes(shape, options = {}) {
    return full(shape, 1, like(this, options));
  },
  newFull(shape, value, options = {}) {
    return full(shape, value, like(this, options));
  },
  newEmpty(shape, options = {}) {
    return full(shape, 0, like(this, options));
  },
  newTensor(data, options = {}) {
    return tensor(data, like(this, options));
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

/** The dtype and device of `x` unless `options` names others (the `new_*` methods' defaults). */
function like(x: TensorType, options: CreationOptions): CreationOptions {
  return { dtype: options.dtype ?? x.dtype, device: options.device ?? x.device, requiresGrad: options.requiresGrad };
}
