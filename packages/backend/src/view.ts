/**
 * A strided view of a flat buffer: element `[i0, i1, ...]` lives at `offset + i0*strides[0] + i1*strides[1] + ...`.
 * Broadcasting is a stride of 0, a slice is an offset, a transpose is permuted strides. The tensor layer builds
 * views; backends only read them, so every kernel works on non-contiguous inputs without copies.
 */
export interface View {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/** True when the view visits its elements in row-major order with no gaps (the offset may be anything). */
export function isContiguous(view: View): boolean {
  let expected = 1;
  for (let i = view.shape.length - 1; i >= 0; i--) {
    const size = view.shape[i];
    if (size !== 1 && view.strides[i] !== expected) return false;
    expected *= size;
  }
  return true;
}

export function contiguousView(shape: readonly number[], offset = 0): View {
  return { shape, strides: contiguousStrides(shape), offset };
}
