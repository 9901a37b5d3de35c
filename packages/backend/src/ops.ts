/**
 * The primitive operations every backend implements, as string-literal unions. Backends implement them with
 * `Record<Op, ...>` tables, so the compiler names any op a backend forgets.
 */
import type { DType } from './dtype.js';

/**
 * Elementwise ops of one input. The output dtype equals the input dtype, except `logicalNot` (bool). Floating
 * inputs take every op; integer inputs take `INTEGER_UNARY_OPS` (PyTorch promotes them to float for the rest,
 * and so does the tensor layer); bool inputs take `logicalNot` and `sign`.
 */
export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'erf',
  'floor',
  'ceil',
  'round',
  'logicalNot',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/**
 * The unary ops defined on integer dtypes, in the dtype: `neg` and `abs` wrap (`abs(-128)` is -128 in int8, `neg`
 * of uint8 1 is 255), `floor`, `ceil` and `round` return the input.
 */
export const INTEGER_UNARY_OPS: readonly UnaryOp[] = ['neg', 'abs', 'sign', 'relu', 'floor', 'ceil', 'round', 'logicalNot'];

/**
 * Elementwise ops of two inputs of the same dtype (the tensor layer promotes first). Comparisons output bool; the
 * rest output the input dtype. Integer `add`, `sub`, `mul` and `pow` wrap around in the dtype (two's complement;
 * int64 exact to ±2^63); integer `pow` with a negative exponent is PyTorch's (1 for base 1, ±1 for base -1, else
 * 0). Integer `div` truncates toward zero (the dividend -2^(bits-1) over -1 wraps to itself; a zero divisor is
 * unspecified: PyTorch raises); the tensor layer casts to float first for true division. bool takes `add` (or),
 * `mul` (and), `maximum`, `minimum` and the comparisons. There is no `gt`/`ge` (the tensor layer swaps the operands
 * of `lt`/`le`) and no logical and/or (on bool operands, 0 or 1, they are `minimum`/`maximum`).
 */
export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'eq',
  'ne',
  'lt',
  'le',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** The binary ops whose output is bool. */
export const COMPARISON_OPS: readonly BinaryOp[] = ['eq', 'ne', 'lt', 'le'];

/**
 * Reductions over trailing axes. `argmax`/`argmin` output int64 indices (first occurrence, NaN wins); `sum` and
 * `prod` of integers and bools output int64 (see `reduceOutputDType`).
 */
export const REDUCE_OPS = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/**
 * The dtype of `reduce(op, x)` for an input of `dtype`, as in PyTorch: `sum` and `prod` of an integer or bool
 * input are int64 (PyTorch accumulates integers in int64), of a float input the input dtype; `max` and `min` keep
 * the input dtype; `argmax` and `argmin` are int64.
 */
export function reduceOutputDType(op: ReduceOp, dtype: DType): DType {
  if (op === 'argmax' || op === 'argmin') return 'int64';
  if ((op === 'sum' || op === 'prod') && dtype !== 'float32' && dtype !== 'float64') return 'int64';
  return dtype;
}
