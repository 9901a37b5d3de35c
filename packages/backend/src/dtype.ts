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

const HOST_ARRAYS: { readonly [D in DType]: new (length: number) => TypedArrayFor<D> } = {
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

export function hostArray<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  return new HOST_ARRAYS[dtype](length);
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
