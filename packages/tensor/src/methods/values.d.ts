import type { DType, HostArray } from '@descent/backend';
import { type DeviceLike } from '../device.js';
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
        /** Moves to a device and/or converts the dtype: `x.to('webgpu')`, `x.to('float32')`. */
        to(target: DeviceLike | DType): Tensor;
        /** `to(device)` that also works from a GPU, whose reads are asynchronous. */
        toAsync(target: DeviceLike): Promise<Tensor>;
        cpu(): Tensor;
        float(): Tensor;
        int(): Tensor;
        /** PyTorch's `long()`: int32 in Descent, which has no int64. */
        long(): Tensor;
        bool(): Tensor;
    }
}
//# sourceMappingURL=values.d.ts.map