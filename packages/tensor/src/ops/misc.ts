import { Tensor } from '../tensor.js';

export function detach(x: Tensor): Tensor {
  return x.detach();
}

export function isTensor(x: unknown): x is Tensor {
  return x instanceof Tensor;
}
