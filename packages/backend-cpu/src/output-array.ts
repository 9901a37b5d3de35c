import { hostArray, type DType, type NumberHostArray } from '@descent/backend';

/** Node's `Buffer`, where there is one: `allocUnsafeSlow` hands out memory without zeroing it (as `torch.empty`). */
interface NodeBuffer {
  allocUnsafeSlow(size: number): { buffer: ArrayBuffer; byteOffset: number };
}

const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/**
 * Outputs from this many bytes on skip the zeroing a `new Float32Array(n)` does. Measured on Node 20 (this 2-core
 * VM, a float32 mul of 1M elements on the Wasm kernel): 1.87 ms with a zeroed 4 MB output, 0.66 ms with an
 * uninitialized one, where malloc reuses freed memory instead of faulting in fresh zeroed pages. Below 64 KB,
 * zeroing is cheap and the ordinary allocation is faster.
 */
const UNINITIALIZED_MIN_BYTES = 65536;

const CONSTRUCTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

/**
 * The array a kernel writes its whole result into: every element is overwritten, so where Node can hand out
 * uninitialized memory, large outputs take it (garbage collected like any ArrayBuffer); elsewhere a zeroed
 * array. Only for kernels that write every element, and not for int64, whose kernels have their own paths.
 */
export function outputArray(dtype: DType, numel: number): NumberHostArray {
  if (dtype === 'int64') throw new TypeError('outputArray: int64 outputs are BigInt64Arrays from their own kernels');
  const type = CONSTRUCTORS[dtype];
  const bytes = numel * type.BYTES_PER_ELEMENT;
  if (nodeBuffer === undefined || bytes < UNINITIALIZED_MIN_BYTES) return hostArray(dtype, numel) as NumberHostArray;
  const { buffer, byteOffset } = nodeBuffer.allocUnsafeSlow(bytes);
  return new type(buffer, byteOffset, numel);
}
