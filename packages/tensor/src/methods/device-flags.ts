import { Tensor } from '../tensor.js';

declare module '../tensor.js' {
  interface Tensor {
    /** `x.is_cuda`: false (Descent has no CUDA device; a GPU tensor is on 'webgpu'). */
    readonly isCuda: boolean;
    /** `x.is_cpu`: whether the tensor lives on the CPU. */
    readonly isCpu: boolean;
  }
}

Object.defineProperties(Tensor.prototype, {
  isCuda: { get: () => false, configurable: true, enumerable: false },
  isCpu: {
    get(this: Tensor) {
      return this.device.type === 'cpu';
    },
    configurable: true,
    enumerable: false,
  },
});
