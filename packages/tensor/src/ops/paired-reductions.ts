import { checkOptionKeys } from '../options.js';
import { normalizeDim, numel } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { amax, amin, mean, std, variance, type Dims, type VarOptions } from './reduction.js';
import { presentAs } from './present-as.js';
import { INSPECT, returnTypeRepr } from './return-type-repr.js';

/** What `torch.aminmax` returns, like PyTorch's `(min, max)` named tuple; it destructures as an array. */
export class MinMax {
  constructor(
    readonly min: Tensor,
    readonly max: Tensor,
  ) {}

  /** As PyTorch prints the named tuple (`torch.return_types.aminmax(...)`). */
  toString(): string {
    return returnTypeRepr('aminmax', { min: this.min, max: this.max });
  }

  [INSPECT](): string {
    return this.toString();
  }

  *[Symbol.iterator](): Iterator<Tensor> {
    yield this.min;
    yield this.max;
  }
}

export interface AminmaxOptions {
  dim?: number | null;
  keepdim?: boolean;
}

/** `torch.aminmax(x, *, dim=None, keepdim=False)`: `{ min, max }` over `dim` (all elements by default). */
export function aminmax(x: Tensor, options: AminmaxOptions = {}): MinMax {
  checkOptionKeys('aminmax', options, ['dim', 'keepdim']);
  const keepdim = options.keepdim ?? false;
  const dim = options.dim ?? null;
  const d = dim === null || x.ndim === 0 ? null : normalizeDim(dim, x.ndim);
  if (numel(x.shape) === 0 || (d !== null && x.shape[d] === 0)) {
    throw new RangeError('aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.');
  }
  if (d === null) {
    // Without a dim PyTorch reduces everything; keepdim keeps every dim as size 1.
    const all = x.ndim === 0 ? undefined : x.shape.map((_, i) => i);
    return new MinMax(amin(x, all, { keepdim }), amax(x, all, { keepdim }));
  }
  return new MinMax(amin(x, d, { keepdim }), amax(x, d, { keepdim }));
}

/** `torch.std_mean(x, dim=None, *, correction=1, keepdim=False)`: `[std, mean]` in one call. */
export function stdMean(x: Tensor, dim?: Dims, options: VarOptions = {}): [Tensor, Tensor] {
  // One node in PyTorch makes both outputs.
  return [std(x, dim, options), mean(x, dim, { keepdim: options.keepdim ?? false })].map((t) => presentAs(t, 'StdMeanBackward0', [x])) as [Tensor, Tensor];
}

/** `torch.var_mean(x, dim=None, *, correction=1, keepdim=False)`: `[var, mean]` in one call. */
export function varMean(x: Tensor, dim?: Dims, options: VarOptions = {}): [Tensor, Tensor] {
  return [variance(x, dim, options), mean(x, dim, { keepdim: options.keepdim ?? false })].map((t) => presentAs(t, 'VarMeanBackward0', [x])) as [Tensor, Tensor];
}
