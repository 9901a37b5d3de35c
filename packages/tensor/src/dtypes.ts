import type { DType } from '@descent/backend';

/**
 * `torch.float32` and friends. Descent has three dtypes; PyTorch's int64 names (`long`, `int64`) map to int32,
 * Descent's integer dtype, so ported code that says `dtype: torch.long` keeps working.
 */
export const float32: DType = 'float32';
export const float: DType = 'float32';
export const int32: DType = 'int32';
export const int: DType = 'int32';
export const int64: DType = 'int32';
export const long: DType = 'int32';
export const bool: DType = 'bool';
