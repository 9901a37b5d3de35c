import type { DimOr } from '../options.js';
import { Tensor } from '../tensor.js';
import type { ReduceOptions, ValuesIndices } from './reduction.js';

/** `torch.max(x)`, `torch.max(x, dim)` or `torch.max(x, other)`, as in PyTorch. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, arg?: DimOr<number, ReduceOptions> | Tensor, options?: ReduceOptions | boolean): Tensor | ValuesIndices {
  if (arg === undefined) return x.max();
  // `torch.max(x, dim=1)` by keyword reaches the method as an options object, as `x.max(dim=1)` does.
  return arg instanceof Tensor ? x.max(arg) : x.max(arg, options);
}

export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: DimOr<number, ReduceOptions>, options?: ReduceOptions | boolean): ValuesIndices;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, arg?: DimOr<number, ReduceOptions> | Tensor, options?: ReduceOptions | boolean): Tensor | ValuesIndices {
  if (arg === undefined) return x.min();
  // `torch.min(x, dim=1)` by keyword reaches the method as an options object, as `x.min(dim=1)` does.
  return arg instanceof Tensor ? x.min(arg) : x.min(arg, options);
}
