/**
 * The primitive operations every backend implements, as string-literal unions. Backends implement them with
 * `Record<Op, ...>` tables, so the compiler names any op a backend forgets.
 */

/** Elementwise ops of one input. The output dtype equals the input dtype, except `logicalNot` (bool). */
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
 * Elementwise ops of two inputs of the same dtype (the tensor layer promotes first). Comparisons output bool; the
 * rest output the input dtype. Integer `div` truncates toward zero; the tensor layer casts to float first for true
 * division. There is no `gt`/`ge` (the tensor layer swaps the operands of `lt`/`le`) and no logical and/or (on
 * bool operands, 0 or 1, they are `minimum`/`maximum`).
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

/** Reductions over trailing axes. `argmax`/`argmin` output int32 indices (first occurrence, NaN wins). */
export const REDUCE_OPS = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];
