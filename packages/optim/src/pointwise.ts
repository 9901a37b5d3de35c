import type { Tensor } from '@descent/tensor';

// PyTorch's fused pointwise ops, composed in the order its CPU kernels evaluate them, so float32 rounding matches
// op for op: addcmul is `self + (value * t1) * t2` and addcdiv is `self + (value * t1) / t2`.

/** `self.addcmul(t1, t2, value=value)` */
export function addcmul(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add(scaled(t1, value).mul(t2));
}

/** `self.addcmul_(t1, t2, value=value)` */
export function addcmul_(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add_(scaled(t1, value).mul(t2));
}

/** `self.addcdiv_(t1, t2, value=value)` */
export function addcdiv_(self: Tensor, t1: Tensor, t2: Tensor, value = 1): Tensor {
  return self.add_(scaled(t1, value).div(t2));
}

// value * t1 is exact when value is 1, so skip the multiply.
function scaled(t: Tensor, value: number): Tensor {
  return value === 1 ? t : t.mul(value);
}
