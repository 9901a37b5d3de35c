import type { Tensor } from '../tensor.js';
import type { ReduceOptions, ValuesIndices } from './reduction.js';

/** `torch.max(x)`, `torch.max(x, dim)` or `torch.max(x, other)`, as in PyTorch. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, options?: ReduceOptions | boolean): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, arg?: number | Tensor, options?: ReduceOptions | boolean): Tensor | ValuesIndices {
  if (arg === undefined) return x.max();
  return typeof arg === 'number' ? x.max(arg, options) : x.max(arg);
}

export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, options?: ReduceOptions | boolean): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, arg?: number | Tensor, options?: ReduceOptions | boolean): Tensor | ValuesIndices {
  if (arg === undefined) return x.min();
  return typeof arg === 'number' ? x.min(arg, options) : x.min(arg);
}
