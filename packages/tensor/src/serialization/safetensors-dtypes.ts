import { hostArray, type DType, type HostArray } from '@descent/backend';

/**
 * The element types Descent reads from safetensors files (and, through the same table, PyTorch's storages), with
 * the Descent dtype each one loads as. Every Descent dtype loads as itself, exactly: F32, F64, I64 (a
 * BigInt64Array, every value exact), I32, I16, I8, U8 and BOOL. The types Descent has no dtype for widen to one
 * that holds every value exactly: F16 and BF16 to float32, U16 to int32, U32 to int64; U64 loads as int64 with a
 * range check.
 */
export interface SafetensorsDtype {
  /** Bytes per element. */
  size: number;
  /** The Descent dtype it loads as. */
  dtype: DType;
  /** Whether its little-endian bytes are the bytes of the dtype's host array (no conversion on a little-endian host). */
  native: boolean;
  /** Reads `numel` little-endian elements. `name` and `context` are for error messages. */
  decode(view: DataView, numel: number, name: string, context?: DecodeContext): HostArray;
}

export interface DecodeContext {
  /** Starts error messages: "safetensors:" unless another format reuses these conversions. */
  label?: string;
  /** The index of the view's first element in the tensor, when a tensor is decoded in pieces. */
  first?: number;
}

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const INT64_MAX = 2n ** 63n - 1n;

type NumberDType = Exclude<DType, 'int64'>;

/** A dtype stored as the file stores it: a byte copy on a little-endian host, element by element on a big-endian one. */
function native(dtype: NumberDType, size: number, read: (view: DataView, offset: number) => number): SafetensorsDtype {
  return {
    size,
    dtype,
    native: true,
    decode: (view, numel) => {
      const out = hostArray(dtype, numel);
      if (LITTLE_ENDIAN_HOST) {
        new Uint8Array(out.buffer).set(new Uint8Array(view.buffer, view.byteOffset, numel * size));
        return out;
      }
      for (let i = 0; i < numel; i++) out[i] = read(view, i * size);
      return out;
    },
  };
}

/** A type Descent lacks, widened element by element to a dtype that holds every value. */
function widened(dtype: NumberDType, size: number, read: (view: DataView, offset: number) => number): SafetensorsDtype {
  return {
    size,
    dtype,
    native: false,
    decode: (view, numel) => {
      const out = hostArray(dtype, numel);
      for (let i = 0; i < numel; i++) out[i] = read(view, i * size);
      return out;
    },
  };
}

/** int64 elements from I64 (stored as Descent holds them), U64 (checked against int64's range) or U32. */
function int64(code: 'I64' | 'U64' | 'U32', size: number, read: (view: DataView, offset: number) => bigint): SafetensorsDtype {
  const isNative = code === 'I64';
  return {
    size,
    dtype: 'int64',
    native: isNative,
    decode: (view, numel, name, context = {}) => {
      const out = hostArray('int64', numel);
      if (LITTLE_ENDIAN_HOST && isNative) {
        new Uint8Array(out.buffer).set(new Uint8Array(view.buffer, view.byteOffset, numel * 8));
        return out;
      }
      for (let i = 0; i < numel; i++) {
        const v = read(view, i * size);
        if (v > INT64_MAX) {
          throw new RangeError(
            `${context.label ?? 'safetensors:'} tensor "${name}" (${code}) holds ${v} at element ${(context.first ?? 0) + i}, ` +
              "which does not fit int64, Descent's widest integer dtype",
          );
        }
        out[i] = v;
      }
      return out;
    },
  };
}

/** IEEE half precision bits to a number (exact: every half is a float32). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const bf16Scratch = new DataView(new ArrayBuffer(4));
function bfloat16ToNumber(bits: number): number {
  bf16Scratch.setUint32(0, bits << 16, false);
  return bf16Scratch.getFloat32(0, false);
}

export const SAFETENSORS_DTYPES: Readonly<Record<string, SafetensorsDtype>> = {
  F64: native('float64', 8, (v, o) => v.getFloat64(o, true)),
  F32: native('float32', 4, (v, o) => v.getFloat32(o, true)),
  F16: widened('float32', 2, (v, o) => halfToNumber(v.getUint16(o, true))),
  BF16: widened('float32', 2, (v, o) => bfloat16ToNumber(v.getUint16(o, true))),
  I64: int64('I64', 8, (v, o) => v.getBigInt64(o, true)),
  I32: native('int32', 4, (v, o) => v.getInt32(o, true)),
  I16: native('int16', 2, (v, o) => v.getInt16(o, true)),
  I8: native('int8', 1, (v, o) => v.getInt8(o)),
  U64: int64('U64', 8, (v, o) => v.getBigUint64(o, true)),
  U32: int64('U32', 4, (v, o) => BigInt(v.getUint32(o, true))),
  U16: widened('int32', 2, (v, o) => v.getUint16(o, true)),
  U8: native('uint8', 1, (v, o) => v.getUint8(o)),
  // Any nonzero byte is true (what a C++ bool reads as); stored as 0 and 1.
  BOOL: widened('bool', 1, (v, o) => (v.getUint8(o) !== 0 ? 1 : 0)),
};

/** The safetensors dtype each Descent dtype is written as: its own. */
export const DTYPE_CODES: Readonly<Record<DType, string>> = {
  float64: 'F64', float32: 'F32', int64: 'I64', int32: 'I32', int16: 'I16', int8: 'I8', uint8: 'U8', bool: 'BOOL',
};

/**
 * The reference writer orders tensors by dtype, descending in the order of its `Dtype` enum (BOOL, U8, I8, I16,
 * U16, F16, BF16, I32, U32, F32, F64, I64, U64), then by name: this is where Descent's dtypes fall in that order.
 */
export const DTYPE_WRITE_RANK: Readonly<Record<DType, number>> = {
  int64: 0, float64: 1, float32: 2, int32: 3, int16: 4, int8: 5, uint8: 6, bool: 7,
};

/** Little-endian element writers, for big-endian hosts (a little-endian host writes the array's own bytes). */
const WRITERS: Readonly<Record<DType, (view: DataView, offset: number, value: number | bigint) => void>> = {
  float64: (v, o, x) => v.setFloat64(o, Number(x), true),
  float32: (v, o, x) => v.setFloat32(o, Number(x), true),
  int64: (v, o, x) => v.setBigInt64(o, BigInt(x), true),
  int32: (v, o, x) => v.setInt32(o, Number(x), true),
  int16: (v, o, x) => v.setInt16(o, Number(x), true),
  int8: (v, o, x) => v.setInt8(o, Number(x)),
  uint8: (v, o, x) => v.setUint8(o, Number(x)),
  bool: (v, o, x) => v.setUint8(o, Number(x) !== 0 ? 1 : 0),
};

/** A tensor's row-major elements (its host array) as little-endian bytes, as PyTorch and safetensors store them. */
export function encodeElements(dtype: DType, data: HostArray): Uint8Array {
  if (dtype === 'bool') {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
    return out;
  }
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  const write = WRITERS[dtype];
  for (let i = 0; i < data.length; i++) write(view, i * data.BYTES_PER_ELEMENT, data[i]);
  return out;
}

/** Copies `source`'s elements into `target` from element `at` (both host arrays of one dtype), as bytes. */
export function copyElements(target: HostArray, source: HostArray, at: number): void {
  const size = target.BYTES_PER_ELEMENT;
  new Uint8Array(target.buffer, target.byteOffset + at * size, source.byteLength).set(
    new Uint8Array(source.buffer, source.byteOffset, source.byteLength),
  );
}
