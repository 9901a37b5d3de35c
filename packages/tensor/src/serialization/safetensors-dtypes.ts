import type { DType, HostArray } from '@descent/backend';

/**
 * The safetensors dtypes Descent reads, with the conversion to one of its three dtypes. Floats become float32
 * (F64 rounds, F16/BF16 widen exactly); integers become int32, with a range check for the wide ones (PyTorch
 * writes int64 where Descent uses int32).
 */
export interface SafetensorsDtype {
  /** Bytes per element. */
  size: number;
  /** The Descent dtype it loads as. */
  dtype: DType;
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
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function rangeError(name: string, code: string, value: number | bigint, index: number, context: DecodeContext = {}): never {
  const at = (context.first ?? 0) + index;
  throw new RangeError(
    `${context.label ?? 'safetensors:'} tensor "${name}" (${code}) holds ${value} at element ${at}, which does not fit ` +
      "int32, Descent's integer dtype",
  );
}

function floats(size: number, read: (view: DataView, offset: number) => number): SafetensorsDtype {
  return {
    size,
    dtype: 'float32',
    decode: (view, numel) => {
      const out = new Float32Array(numel);
      for (let i = 0; i < numel; i++) out[i] = read(view, i * size);
      return out;
    },
  };
}

function ints(size: number, code: string, read: (view: DataView, offset: number) => number | bigint): SafetensorsDtype {
  return {
    size,
    dtype: 'int32',
    decode: (view, numel, name, context) => {
      const out = new Int32Array(numel);
      for (let i = 0; i < numel; i++) {
        const v = read(view, i * size);
        if (v < INT32_MIN || v > INT32_MAX) rangeError(name, code, v, i, context);
        out[i] = Number(v);
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
  F32: {
    size: 4,
    dtype: 'float32',
    decode: (view, numel) => {
      if (LITTLE_ENDIAN_HOST) {
        return new Float32Array(view.buffer.slice(view.byteOffset, view.byteOffset + numel * 4));
      }
      const out = new Float32Array(numel);
      for (let i = 0; i < numel; i++) out[i] = view.getFloat32(i * 4, true);
      return out;
    },
  },
  F64: floats(8, (v, o) => v.getFloat64(o, true)),
  F16: floats(2, (v, o) => halfToNumber(v.getUint16(o, true))),
  BF16: floats(2, (v, o) => bfloat16ToNumber(v.getUint16(o, true))),
  I32: {
    size: 4,
    dtype: 'int32',
    decode: (view, numel) => {
      if (LITTLE_ENDIAN_HOST) {
        return new Int32Array(view.buffer.slice(view.byteOffset, view.byteOffset + numel * 4));
      }
      const out = new Int32Array(numel);
      for (let i = 0; i < numel; i++) out[i] = view.getInt32(i * 4, true);
      return out;
    },
  },
  I64: ints(8, 'I64', (v, o) => v.getBigInt64(o, true)),
  U64: ints(8, 'U64', (v, o) => v.getBigUint64(o, true)),
  U32: ints(4, 'U32', (v, o) => v.getUint32(o, true)),
  I16: ints(2, 'I16', (v, o) => v.getInt16(o, true)),
  U16: ints(2, 'U16', (v, o) => v.getUint16(o, true)),
  I8: ints(1, 'I8', (v, o) => v.getInt8(o)),
  U8: ints(1, 'U8', (v, o) => v.getUint8(o)),
  BOOL: {
    size: 1,
    dtype: 'bool',
    decode: (view, numel) => {
      const out = new Uint8Array(numel);
      for (let i = 0; i < numel; i++) out[i] = view.getUint8(i) !== 0 ? 1 : 0;
      return out;
    },
  },
};

/** The safetensors dtype each Descent dtype is written as. */
export const DTYPE_CODES: Readonly<Record<DType, string>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/**
 * The reference writer orders tensors by dtype, widest first, in the order of its `Dtype` enum; only the
 * relative order of the dtypes Descent writes matters here.
 */
export const DTYPE_WRITE_RANK: Readonly<Record<DType, number>> = { float32: 0, int32: 1, bool: 2 };

/** A tensor's row-major elements as little-endian safetensors bytes. */
export function encodeElements(dtype: DType, data: HostArray): Uint8Array {
  if (dtype === 'bool') {
    const out = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
    return out;
  }
  if (LITTLE_ENDIAN_HOST) return new Uint8Array(data.buffer, data.byteOffset, data.length * 4);
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    if (dtype === 'float32') view.setFloat32(i * 4, data[i], true);
    else view.setInt32(i * 4, data[i], true);
  }
  return out;
}
