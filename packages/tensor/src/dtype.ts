import type { DType } from '@descent/backend';

/**
 * PyTorch's type promotion (`torch.promote_types`): bool < uint8, int8 < int16 < int32 < int64 < float32 < float64,
 * except that uint8 with int8 gives int16 (neither holds the other's range).
 */
const RANK: Readonly<Record<DType, number>> = { bool: 0, uint8: 1, int8: 1, int16: 2, int32: 3, int64: 4, float32: 5, float64: 6 };

/** bool 0, integers 1, floating 2: a wrapped number or 0-d tensor only changes the dtype of a lower category. */
const CATEGORY: Readonly<Record<DType, number>> = { bool: 0, uint8: 1, int8: 1, int16: 1, int32: 1, int64: 1, float32: 2, float64: 2 };

/** The dtype PyTorch gives a plain number of each category: its default integer and floating dtypes. */
const DEFAULT_OF_CATEGORY: DType[] = ['bool', 'int64', 'float32'];

/** `torch.get_default_dtype()`: the dtype of float data without a dtype (float32 unless set to float64). */
export function defaultFloatDType(): DType {
  return DEFAULT_OF_CATEGORY[2];
}

/** Sets what {@link defaultFloatDType} returns; `setDefaultDtype` checks the argument. */
export function setDefaultFloatDType(dtype: 'float32' | 'float64'): void {
  DEFAULT_OF_CATEGORY[2] = dtype;
}

export type Scalar = number | boolean | bigint;

export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int16';
  return RANK[a] >= RANK[b] ? a : b;
}

export function category(dtype: DType): number {
  return CATEGORY[dtype];
}

/** The dtype a plain JS value has as a wrapped number: bool, int64 for whole numbers and bigints, float32 else. */
export function scalarDType(value: Scalar): DType {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'bigint') return 'int64';
  return Number.isInteger(value) ? 'int64' : defaultFloatDType();
}

/**
 * The operand groups of PyTorch's `result_type`, in priority order: tensors with dimensions, then 0-d tensors, then
 * wrapped numbers. A lower group only matters when its category is higher than everything before it, and then its
 * dtype is its own for 0-d tensors and the category's default for numbers.
 */
export function resultTypeOf(dimensioned: DType | null, zeroDim: DType | null, wrapped: DType | null): DType {
  let result = dimensioned;
  if (zeroDim !== null && (result === null || CATEGORY[zeroDim] > CATEGORY[result])) result = zeroDim;
  if (wrapped !== null && (result === null || CATEGORY[wrapped] > CATEGORY[result])) {
    result = DEFAULT_OF_CATEGORY[CATEGORY[wrapped]];
  }
  return result ?? defaultFloatDType();
}

/** `result_type(tensor, number)`: the tensor's dtype unless the number's category is higher. */
export function resultTypeWithNumber(dtype: DType, value: Scalar): DType {
  const c = typeof value === 'boolean' ? 0 : typeof value === 'bigint' || Number.isInteger(value) ? 1 : 2;
  return c <= CATEGORY[dtype] ? dtype : DEFAULT_OF_CATEGORY[c];
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function isIntegral(dtype: DType): boolean {
  return CATEGORY[dtype] === 1;
}

/** PyTorch's spelling of a dtype, for messages and printing (`torch.float32`). */
export function torchDTypeName(dtype: DType): string {
  return `torch.${dtype}`;
}

const LEGACY_NAMES: Readonly<Record<DType, string>> = {
  float32: 'Float', float64: 'Double', int64: 'Long', int32: 'Int', int16: 'Short', int8: 'Char', uint8: 'Byte', bool: 'Bool',
};

/** PyTorch's scalar type name (`Float`, `Long`), as in "expected scalar type Long but found Int". */
export function scalarTypeName(dtype: DType): string {
  return LEGACY_NAMES[dtype];
}

/** The PyTorch tensor type name used in some of its messages (`torch.FloatTensor`). */
export function legacyTypeName(dtype: DType): string {
  return `torch.${LEGACY_NAMES[dtype]}Tensor`;
}
