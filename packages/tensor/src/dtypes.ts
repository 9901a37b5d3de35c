import type { DType } from '@descent/backend';

/** `torch.float32` and friends, with PyTorch's aliases (`torch.long` is int64, `torch.double` float64). */
export const float32: DType = 'float32';
export const float: DType = 'float32';
export const float64: DType = 'float64';
export const double: DType = 'float64';
export const int64: DType = 'int64';
export const long: DType = 'int64';
export const int32: DType = 'int32';
export const int: DType = 'int32';
export const int16: DType = 'int16';
export const short: DType = 'int16';
export const int8: DType = 'int8';
export const uint8: DType = 'uint8';
export const bool: DType = 'bool';
