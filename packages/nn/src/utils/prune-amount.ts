import { norm, type NormOrder, type Tensor } from '@descent/tensor';

/**
 * The checks and counts `torch.nn.utils.prune`'s methods share (its `_validate_*` and `_compute_*` helpers), with
 * PyTorch's messages. JavaScript has one number type: an integer-valued `amount` counts units (PyTorch's `int`),
 * any other one is a fraction (PyTorch's `float`); PyTorch's `amount=1.0` (everything) is the count itself here.
 */

/** The value as Python's `str.format` writes it in these messages. */
function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  return String(value);
}

/** PyTorch's `torch.Size([3, 4])` in messages. */
export const pySize = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

/** `_validate_pruning_amount_init`: a non-negative count or a fraction in [0, 1]. */
export function validatePruningAmountInit(amount: unknown): asserts amount is number {
  if (typeof amount !== 'number') {
    throw new TypeError(`Invalid type for amount: ${pyStr(amount)}. Must be int or float.`);
  }
  if ((Number.isInteger(amount) && amount < 0) || (!Number.isInteger(amount) && (amount > 1 || amount < 0))) {
    throw new RangeError(`amount=${pyStr(amount)} should either be a float in the range [0, 1] or a non-negative integer`);
  }
}

/** `_validate_pruning_amount`: a count no larger than the units there are. */
export function validatePruningAmount(amount: number, tensorSize: number): void {
  if (Number.isInteger(amount) && amount > tensorSize) {
    throw new RangeError(`amount=${amount} should be smaller than the number of parameters to prune=${tensorSize}`);
  }
}

/** Python's `round`: halves go to the even neighbour (`round(2.5) == 2`). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `_compute_nparams_toprune`: the count itself, or `round(amount * tensorSize)` for a fraction. */
export function computeNparamsToprune(amount: number, tensorSize: number): number {
  if (Number.isNaN(amount)) throw new RangeError('cannot convert float NaN to integer');
  return Number.isInteger(amount) ? amount : roundHalfEven(amount * tensorSize);
}

/** `_validate_structured_pruning`: channels need at least two dims. */
export function validateStructuredPruning(t: Tensor): void {
  if (t.ndim <= 1) {
    throw new RangeError(
      `Structured pruning can only be applied to multidimensional tensors. Found tensor of shape ${pySize(t.shape)} with ${t.ndim} dims`,
    );
  }
}

/** `_validate_pruning_dim`: only a dim past the end is refused, as in PyTorch (a negative one counts from the end). */
export function validatePruningDim(t: Tensor, dim: number): void {
  if (dim >= t.ndim) throw new RangeError(`Invalid index ${dim} for tensor of size ${pySize(t.shape)}`);
}

/** Python's `t.shape[dim]`, a negative dim counting from the end. */
export function sizeAlong(t: Tensor, dim: number): number {
  const d = dim < 0 ? dim + t.ndim : dim;
  if (d < 0 || d >= t.ndim) throw new RangeError('tuple index out of range');
  return t.shape[d];
}

/** `_compute_norm`: the L`n` norm of each channel along `dim`, over every other dim. */
export function computeNorm(t: Tensor, n: NormOrder, dim: number): Tensor {
  const d = dim < 0 ? dim + t.ndim : dim;
  const dims = t.shape.map((_, i) => i).filter((i) => i !== d);
  return norm(t, n, dims);
}
