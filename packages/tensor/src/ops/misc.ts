import { Tensor } from '../tensor.js';

export function detach(x: Tensor): Tensor {
  return x.detach();
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}

/** `torch.positive(x)`: x itself (bool tensors raise, as PyTorch's unary plus). */
export function positive(x: Tensor): Tensor {
  if (x.dtype === 'bool') throw new TypeError('The `+` operator, on a bool tensor is not supported.');
  return x;
}
