/**
 * Element types a backend stores: PyTorch's float32, float64, int64 (its default integer dtype), int32, int16, int8,
 * uint8 and bool. A backend that lacks one (WebGPU has no float64) refuses it at `upload` with a clear error.
 */
export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool'];

/** The TypedArray that holds a dtype on the host (int64 as BigInt64Array, exact to ±2^63; bool as 0/1 bytes). */
export type TypedArrayFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int64'
      ? BigInt64Array
      : D extends 'int32'
        ? Int32Array
        : D extends 'int16'
          ? Int16Array
          : D extends 'int8'
            ? Int8Array
            : Uint8Array;

export type HostArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** Host arrays whose elements are JS numbers (every dtype but int64). */
export type NumberHostArray = Exclude<HostArray, BigInt64Array>;

export const bytesPerElement: Record<DType, number> = {
  float32: 4, float64: 8, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1,
};

/** A zeroed host array of `length` elements of `dtype`. One `new` per dtype keeps each allocation site monomorphic (hot: every kernel output). */
export function hostArray<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length) as TypedArrayFor<D>;
    case 'int32':
      return new Int32Array(length) as TypedArrayFor<D>;
    case 'bool':
    case 'uint8':
      return new Uint8Array(length) as TypedArrayFor<D>;
    case 'float64':
      return new Float64Array(length) as TypedArrayFor<D>;
    case 'int64':
      return new BigInt64Array(length) as TypedArrayFor<D>;
    case 'int16':
      return new Int16Array(length) as TypedArrayFor<D>;
    case 'int8':
      return new Int8Array(length) as TypedArrayFor<D>;
    default:
      throw new TypeError(`unknown dtype ${String(dtype)}`);
  }
}

export function isFloatingDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The range of an integer dtype (as numbers; int64's ends are not exact as numbers, use bigints to test them). */
export const INTEGER_RANGE: Readonly<Partial<Record<DType, readonly [number, number]>>> = {
  int64: [-(2 ** 63), 2 ** 63 - 1],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int8: [-(2 ** 7), 2 ** 7 - 1],
  uint8: [0, 2 ** 8 - 1],
};
