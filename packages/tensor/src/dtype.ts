import type { DType } from '@descent/backend';

/**
 * PyTorch's type promotion, reduced to Descent's three dtypes: one per category (bool < integer < floating),
 * so promotion is the higher category. Plain JS numbers take part as "wrapped numbers": an integer number keeps an
 * int32 tensor int32, a fractional one makes it float32, exactly as `torch.tensor([1]) + 2.5` does.
 */
const CATEGORY: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };
const BY_CATEGORY: DType[] = ['bool', 'int32', 'float32'];

export type Scalar = number | boolean;

export function promoteTypes(a: DType, b: DType): DType {
  return BY_CATEGORY[Math.max(CATEGORY[a], CATEGORY[b])];
}

export function scalarDType(value: Scalar): DType {
  if (typeof value === 'boolean') return 'bool';
  return Number.isInteger(value) ? 'int32' : 'float32';
}

export function isFloating(dtype: DType): boolean {
  return dtype === 'float32';
}

/** PyTorch's spelling of a dtype, for messages and printing (`torch.float32`). */
export function torchDTypeName(dtype: DType): string {
  return `torch.${dtype}`;
}

/** The PyTorch tensor type name used in some of its messages (`torch.FloatTensor`). */
export function legacyTypeName(dtype: DType): string {
  return { float32: 'torch.FloatTensor', int32: 'torch.IntTensor', bool: 'torch.BoolTensor' }[dtype];
}
