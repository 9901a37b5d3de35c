import { checkOptionKeys } from '../options.js';
import type { Tensor } from '../tensor.js';
import { nonzero as nonzeroRows } from './advanced-indexing.js';
import { where as select } from './indexing.js';
import type { TensorLike } from './scalar.js';

/** `torch.nonzero`'s options: `as_tuple` gives one 1-D index tensor per dim instead of one row per entry. */
export interface NonzeroOptions {
  asTuple?: boolean;
}

/**
 * `torch.nonzero(x)`: the indices of the nonzero entries, `[count, ndim]` int64; with `{ asTuple: true }` one 1-D
 * tensor per dim (a 0-d input counts as 1-D), as `torch.nonzero(x, as_tuple=True)` and `torch.where(x)`.
 */
export function nonzero(x: Tensor, options?: NonzeroOptions & { asTuple?: false }): Tensor;
export function nonzero(x: Tensor, options: NonzeroOptions & { asTuple: true }): Tensor[];
export function nonzero(x: Tensor, options: NonzeroOptions = {}): Tensor | Tensor[] {
  checkOptionKeys('nonzero', options, ['asTuple']);
  if (!options.asTuple) return nonzeroRows(x);
  const rows = nonzeroRows(x.ndim === 0 ? x.reshape([1]) : x);
  return rows.t().unbind(0).map((column) => column.contiguous());
}

/** `torch.where(cond, a, b)`: elementwise `cond ? a : b`; `torch.where(cond)` alone is `nonzero(cond, as_tuple=True)`. */
export function where(cond: Tensor): Tensor[];
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor;
export function where(cond: Tensor, a?: TensorLike, b?: TensorLike): Tensor | Tensor[] {
  if (a === undefined && b === undefined) return nonzero(cond, { asTuple: true });
  if (a === undefined || b === undefined) throw new TypeError('where(): expected a condition alone, or a condition and two values (x, y)');
  return select(cond, a, b);
}
