/**
 * Element types a backend stores. Descent has no int64: `int32` is its default integer dtype and stands in
 * for PyTorch's int64 (argmax, randint, randperm and integer literals all produce int32).
 */
export type DType = 'float32' | 'int32' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The TypedArray that holds a dtype on the host (bool is one byte per element, 0 or 1). */
export type TypedArrayFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'int32'
    ? Int32Array
    : Uint8Array;

export type HostArray = Float32Array | Int32Array | Uint8Array;

export const bytesPerElement: Record<DType, number> = { float32: 4, int32: 4, bool: 1 };

export function hostArray<D extends DType>(dtype: D, length: number): TypedArrayFor<D> {
  switch (dtype) {
    case 'float32':
      return new Float32Array(length) as TypedArrayFor<D>;
    case 'int32':
      return new Int32Array(length) as TypedArrayFor<D>;
    default:
      return new Uint8Array(length) as TypedArrayFor<D>;
  }
}

export function isFloatingDType(dtype: DType): boolean {
  return dtype === 'float32';
}
