import { isFloating, promoteTypes, scalarTypeName } from '../dtype.js';
import { broadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkOptionKeys } from '../options.js';
import { where } from './indexing.js';
import { operands, resultType } from './scalar.js';
import { presentAs } from './present-as.js';

// Ops that blend several tensors elementwise (`lerp`, `addcmul`, `addcdiv`, `fmax`, `fmin`), written with the
// arithmetic ops in the order PyTorch's CPU kernels evaluate them, so float32 results round the same way.

function checkSameDType(start: Tensor, other: Tensor, name: string): void {
  if (other.dtype !== start.dtype) {
    throw new TypeError(`expected dtype ${scalarTypeName(start.dtype).toLowerCase()} for \`${name}\` but got dtype ${scalarTypeName(other.dtype).toLowerCase()}`);
  }
}

/**
 * `torch.lerp(start, end, weight)`: `start + weight * (end - start)`, evaluated as PyTorch does from whichever end
 * is nearer (`end - (end - start) * (1 - weight)` for weights of 0.5 and up).
 */
export function lerp(start: Tensor, end: Tensor, weight: number | Tensor): Tensor {
  checkSameDType(start, end, 'end');
  if (weight instanceof Tensor) checkSameDType(start, weight, 'weight');
  if (!isFloating(start.dtype)) {
    throw new TypeError(`"lerp_kernel_${weight instanceof Tensor ? 'tensor' : 'scalar'}" not implemented for '${scalarTypeName(start.dtype)}'`);
  }
  if (!(weight instanceof Tensor)) return presentAs(lerpComposed(start, end, weight), 'LerpBackward0', [start, end]);
  broadcastShapes(broadcastShapes(start.shape, end.shape), weight.shape);
  return presentAs(lerpComposed(start, end, weight), 'LerpBackward1', [start, end, weight]);
}

function lerpComposed(start: Tensor, end: Tensor, weight: number | Tensor): Tensor {
  const diff = end.sub(start);
  if (!(weight instanceof Tensor)) return Math.abs(weight) < 0.5 ? start.add(diff.mul(weight)) : end.sub(diff.mul(1 - weight));
  const low = start.add(weight.mul(diff));
  const high = end.sub(diff.mul(weight.neg().add(1)));
  return where(weight.detach().abs().lt(0.5), low, high);
}

export interface ValueOptions {
  /** The multiplier of `tensor1 * tensor2` (or `tensor1 / tensor2`), PyTorch's `value=`. */
  value?: number;
}

/** The dtype of the three operands together, and `value` converted to it (PyTorch casts the scalar). */
function promoted(fn: string, input: Tensor, t1: Tensor, t2: Tensor, options: ValueOptions): [number, boolean] {
  checkOptionKeys(fn, options, ['value']);
  const dtype = promoteTypes(promoteTypes(input.dtype, t1.dtype), t2.dtype);
  const value = options.value ?? 1;
  return [isFloating(dtype) ? value : Math.trunc(value), isFloating(dtype)];
}

/** `torch.addcmul(input, tensor1, tensor2, value=1)`: `input + value * tensor1 * tensor2`. */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, options: ValueOptions = {}): Tensor {
  const [value] = promoted('addcmul', input, tensor1, tensor2, options);
  return presentAs(input.add(tensor1.mul(value).mul(tensor2)), 'AddcmulBackward0', [input, tensor1, tensor2]);
}

/** `torch.addcdiv(input, tensor1, tensor2, value=1)`: `input + value * tensor1 / tensor2`; floating tensors only. */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, options: ValueOptions = {}): Tensor {
  const [value, floating] = promoted('addcdiv', input, tensor1, tensor2, options);
  if (!floating && !isFloating(tensor1.dtype) && !isFloating(tensor2.dtype)) {
    throw new TypeError(
      'Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.',
    );
  }
  return presentAs(input.add(tensor1.mul(value).div(tensor2)), 'AddcdivBackward0', [input, tensor1, tensor2]);
}

/**
 * `torch.fmax(a, b)`: the larger of the two, ignoring NaN (NaN only where both are). Ties and NaN in `b` take `a`,
 * and so does the gradient, as PyTorch's.
 */
export function fmax(a: Tensor, b: Tensor): Tensor {
  const [x, y] = operands(a, b, resultType(a, b));
  return where(x.detach().ge(y.detach()).logicalOr(y.detach().ne(y.detach())), x, y);
}

/** `torch.fmin(a, b)`: the smaller of the two, ignoring NaN, as `fmax`. */
export function fmin(a: Tensor, b: Tensor): Tensor {
  const [x, y] = operands(a, b, resultType(a, b));
  return where(x.detach().le(y.detach()).logicalOr(y.detach().ne(y.detach())), x, y);
}
