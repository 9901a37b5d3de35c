import type { DType, HostArray } from '@descent/backend';

/**
 * The WebGPU backend's dtype policy. WGSL has 32-bit scalars only, and nothing here wraps silently where PyTorch
 * would not:
 *
 * - float32, int32, bool: native (bool as a u32 holding 0 or 1).
 * - float64: refused. WGSL has no f64; `upload`, `alloc` and every kernel raise PyTorch's MPS-style TypeError.
 * - int64: stored as i32. `upload` raises on a value outside int32 (naming it); `read` returns a BigInt64Array.
 *   Comparisons, min/max, sign, relu, where, copies, gather and index operands are exact. Arithmetic that can
 *   leave int32 (add, sub, mul, div, pow, neg, abs, sum, prod, matmul, scatterAdd, float to int64 casts) is
 *   checked in the shader: an overflow sets a flag, and the next read raises instead of returning wrapped values.
 * - int16, int8, uint8: stored as i32 holding the value, with PyTorch's wrap-around emulated after every op that
 *   can leave the range (uint8 255 + 1 = 0, int8 -128 / -1 = -128), as PyTorch's CPU kernels compute them.
 */
export const WEBGPU_DTYPES: readonly DType[] = ['float32', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool'];

const NO_FLOAT64 = 'WebGPU does not support float64 (WGSL has no 64-bit floats). Please use float32 instead';

/**
 * Raises PyTorch's MPS-style TypeError for float64 (PyTorch: "Cannot convert a MPS Tensor to float64 dtype as the
 * MPS framework doesn't support float64. Please use float32 instead.").
 */
export function refuseFloat64(where: 'upload' | 'alloc' | string, dtype: DType): void {
  if (dtype !== 'float64') return;
  if (where === 'upload') {
    throw new TypeError(`Cannot convert a float64 Tensor to the WebGPU device: ${NO_FLOAT64}: convert it first, x.float().to('webgpu').`);
  }
  if (where === 'alloc') {
    throw new TypeError(`Cannot create a float64 Tensor on the WebGPU device: ${NO_FLOAT64} (dtype torch.float32), or keep float64 tensors on the CPU.`);
  }
  throw new TypeError(`webgpu ${where}: float64 operands are not supported: ${NO_FLOAT64}.`);
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN_N = -(2n ** 31n);
const INT32_MAX_N = 2n ** 31n - 1n;

/** The RangeError for an int64 value WebGPU's 32-bit storage cannot hold. */
export function int64RangeError(value: bigint | number, what: string): RangeError {
  return new RangeError(
    `Cannot ${what}: int64 value ${String(value)} is outside -2147483648..2147483647. The WebGPU device stores int64 ` +
      'as 32-bit integers (WGSL has no 64-bit integers) and raises rather than wrap; keep tensors with larger values ' +
      'on the CPU, or convert them to float32 first.',
  );
}

/** What the GPU holds for host data: one 32-bit word per element. */
export function toGpuWords(data: HostArray, dtype: DType): Float32Array | Int32Array | Uint32Array {
  refuseFloat64('upload', dtype);
  if (dtype === 'int64') {
    if (!(data instanceof BigInt64Array)) throw new TypeError(`webgpu upload: int64 data must be a BigInt64Array, got ${data.constructor.name}`);
    // Read as 32-bit halves (little-endian, as every WebGPU platform is), without a bigint per element: a value
    // fits int32 when its high half is its low half's sign.
    const halves = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
    const words = new Int32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const low = halves[2 * i];
      if (halves[2 * i + 1] !== low >> 31) throw int64RangeError(data[i], `move element ${i} of an int64 Tensor to the WebGPU device`);
      words[i] = low;
    }
    return words;
  }
  if (data instanceof BigInt64Array) throw new TypeError(`webgpu upload: a BigInt64Array holds int64 data, not ${dtype}`);
  if (dtype === 'bool') return data instanceof Uint32Array ? data : Uint32Array.from(data);
  if (dtype === 'float32') return data instanceof Float32Array ? data : Float32Array.from(data);
  return data instanceof Int32Array ? data : Int32Array.from(data);
}

/** Host data of `dtype` from the words a read copied back (`bytes` is a fresh copy, 4 bytes per element). */
export function fromGpuWords(bytes: Uint8Array, dtype: DType): HostArray {
  const buffer = bytes.buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'bool':
      return Uint8Array.from(new Uint32Array(buffer));
    case 'int64': {
      // Sign-extended into 32-bit halves (little-endian), without a bigint per element.
      const words = new Int32Array(buffer);
      const out = new BigInt64Array(words.length);
      const halves = new Int32Array(out.buffer);
      for (let i = 0; i < words.length; i++) {
        halves[2 * i] = words[i];
        halves[2 * i + 1] = words[i] >> 31;
      }
      return out;
    }
    case 'int16':
      return Int16Array.from(new Int32Array(buffer));
    case 'int8':
      return Int8Array.from(new Int32Array(buffer));
    case 'uint8':
      return Uint8Array.from(new Int32Array(buffer));
    default:
      refuseFloat64('read', dtype);
      throw new TypeError(`webgpu read: unknown dtype ${String(dtype)}`);
  }
}

const WORD = new Int32Array(1);
const F32 = new Float32Array(WORD.buffer);
const U32 = new Uint32Array(WORD.buffer);

/** The u32 bits `fill` writes for `value`: float32 rounds, int64 is range-checked, the small integers wrap as C casts do. */
export function fillBits(dtype: DType, value: number | bigint): number {
  refuseFloat64('fill', dtype);
  if (dtype === 'bool') return value ? 1 : 0;
  if (dtype === 'float32') {
    F32[0] = Number(value);
    return U32[0];
  }
  if (dtype === 'int64' && (typeof value === 'bigint' ? value < INT32_MIN_N || value > INT32_MAX_N : value < INT32_MIN || value > INT32_MAX)) {
    throw int64RangeError(value, 'fill an int64 Tensor on the WebGPU device');
  }
  WORD[0] = typeof value === 'bigint' ? Number(BigInt.asIntN(32, value)) : Math.trunc(value);
  WORD[0] = wrapHost(dtype, WORD[0]);
  return U32[0];
}

function wrapHost(dtype: DType, v: number): number {
  if (dtype === 'int16') return (v << 16) >> 16;
  if (dtype === 'int8') return (v << 24) >> 24;
  if (dtype === 'uint8') return v & 255;
  return v;
}

/**
 * WGSL that brings an i32 result `expr` back into `dtype`'s range with PyTorch's wrap-around: the low 16 or 8 bits,
 * sign-extended for int16/int8 (shifts on i32 are arithmetic), masked for uint8. Other dtypes are unchanged.
 */
export function wrapWgsl(dtype: DType, expr: string): string {
  if (dtype === 'int16') return `((${expr}) << 16u) >> 16u`;
  if (dtype === 'int8') return `((${expr}) << 24u) >> 24u`;
  if (dtype === 'uint8') return `((${expr}) & 255)`;
  return expr;
}

/** The dtypes whose values are a narrower range held in an i32. */
export function isSmallInt(dtype: DType): boolean {
  return dtype === 'int16' || dtype === 'int8' || dtype === 'uint8';
}
