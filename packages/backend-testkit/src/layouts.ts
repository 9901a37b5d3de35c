/**
 * Test inputs as a flat backing array read through a view, so every case can place the same logical values in
 * memory in an odd way: at an offset, transposed, with gaps, or broadcast with stride 0.
 */
import { contiguousStrides, numelOf, type DType, type View } from '@descent/backend';
import { readView, toDType, type Value } from './reference-core.js';

export interface StridedSpec {
  readonly dtype: DType;
  /** Stored as the dtype holds them (see `toDType`): float32 rounded, int64 as bigints. */
  readonly backing: readonly Value[];
  readonly view: View;
}

const FILLER: Record<DType, Value> = {
  float32: NaN,
  float64: NaN,
  // Inside int32, so a backend that keeps int64 in 32 bits (WebGPU) can take every case but those beyond 32 bits.
  int64: -999_999_999n,
  int32: -999_999,
  int16: -12_345,
  int8: -77,
  uint8: 201,
  bool: 1,
};

/** Gaps get a value no case produces, so a kernel that reads outside its view shows up in the result. */
export function fillerFor(dtype: DType): Value {
  return FILLER[dtype];
}

export interface LayoutOptions {
  /** Memory order of the logical dims, outermost first (`[1, 0]` stores a matrix transposed). */
  readonly order?: readonly number[];
  /** Distance between neighbours along every dim, as a stepped slice `x[::step]` has. */
  readonly step?: number;
  /** Elements before the view starts. */
  readonly offset?: number;
}

/** The row-major `values` of `shape`, stored as `options` describe. */
export function strided(dtype: DType, values: readonly Value[], shape: readonly number[], options: LayoutOptions = {}): StridedSpec {
  const rank = shape.length;
  if (values.length !== numelOf(shape)) {
    throw new Error(`layout: ${values.length} values do not fill shape [${shape.join(', ')}]`);
  }
  const order = options.order ?? shape.map((_, d) => d);
  const step = options.step ?? 1;
  const offset = options.offset ?? 0;
  // Memory is a contiguous block of the permuted, step-padded shape.
  const memoryShape = order.map((d) => Math.max(shape[d], 1) * step);
  const memoryStrides = contiguousStrides(memoryShape);
  const strides = new Array<number>(rank);
  order.forEach((d, position) => (strides[d] = memoryStrides[position] * step));
  const view: View = { shape: [...shape], strides, offset };
  const size = offset + numelOf(memoryShape) + 2; // two trailing gaps catch reads past the end
  const backing = new Array<Value>(size).fill(fillerFor(dtype));
  values.forEach((v, i) => {
    let position = offset;
    let rest = i;
    for (let d = rank - 1; d >= 0; d--) {
      position += (rest % shape[d]) * strides[d];
      rest = Math.floor(rest / shape[d]);
    }
    backing[position] = toDType(dtype, v); // the reference must see the values the device stores
  });
  return { dtype, backing, view };
}

export function contiguous(dtype: DType, values: readonly Value[], shape: readonly number[]): StridedSpec {
  return strided(dtype, values, shape);
}

/** Dims in reverse memory order, as `x.permute(rank-1, ..., 0)` of a contiguous tensor gives. */
export function reversedOrder(rank: number): number[] {
  return Array.from({ length: rank }, (_, d) => rank - 1 - d);
}

/**
 * `values` of `shape` broadcast to `target` (as the tensor layer's expand does): new leading dims and size-1
 * dims get stride 0, and the source sits at `offset`.
 */
export function broadcast(
  dtype: DType,
  values: readonly Value[],
  shape: readonly number[],
  target: readonly number[],
  offset = 0,
): StridedSpec {
  const source = strided(dtype, values, shape, { offset });
  const lead = target.length - shape.length;
  const strides = target.map((size, i) => {
    const d = i - lead;
    return d < 0 || (shape[d] === 1 && size !== 1) ? 0 : source.view.strides[d];
  });
  return { dtype, backing: source.backing, view: { shape: [...target], strides, offset } };
}

/** The logical (row-major) values a spec holds, read through its view by the reference. */
export function logical(spec: StridedSpec): Value[] {
  return readView(spec.backing, spec.view);
}

/** `logical` for a float spec, as numbers (for the fused methods' references, which are float32 only). */
export function logicalNumbers(spec: StridedSpec): number[] {
  return logical(spec).map(Number);
}

/** Named layouts every view-sensitive primitive is run through. */
export interface NamedLayout {
  readonly name: string;
  readonly options: (rank: number) => LayoutOptions;
}

export const LAYOUTS: readonly NamedLayout[] = [
  { name: 'contiguous', options: () => ({}) },
  { name: 'at an offset', options: () => ({ offset: 3 }) },
  { name: 'transposed', options: (rank) => ({ order: reversedOrder(rank), offset: 1 }) },
  { name: 'stepped slice', options: () => ({ step: 2, offset: 1 }) },
];
