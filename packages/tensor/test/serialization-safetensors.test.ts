// safetensors encode/decode: against files written by PyTorch + the reference safetensors package
// (test/fixtures/*.safetensors from tooling/fixtures/gen_safetensors.py), against bytes written by hand per the
// spec, and against hostile or corrupt files.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, SafetensorsError, tensor, type Tensor } from '../src/index.js';
import { parsePythonJson } from './fixtures.js';
import { elements, expectTensor, tensorOf, type RecordedValue } from './serialization-values.js';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const readFixture = (name: string) => new Uint8Array(readFileSync(join(fixtureDir, name)));
type Reference = { dtype: string; shape: number[]; data: RecordedValue[] };
const expected = parsePythonJson(readFileSync(join(fixtureDir, 'safetensors.json'), 'utf8')) as {
  files: Record<string, { metadata: Record<string, string> | null; tensors: Record<string, Reference> }>;
};

describe('decodeSafetensors reads files written by PyTorch', () => {
  for (const file of ['linear.safetensors', 'sequential.safetensors', 'dtypes.safetensors', 'reference-encoding.safetensors']) {
    it(file, () => {
      const reference = expected.files[file];
      const { tensors, metadata } = decodeSafetensors(readFixture(file));
      expect(Object.keys(tensors).sort()).toEqual(Object.keys(reference.tensors).sort());
      for (const name of Object.keys(reference.tensors)) expectTensor(tensors[name], reference.tensors[name], name);
      expect(metadata).toEqual(reference.metadata ?? {});
    });
  }

  it("nn.Linear(3, 2) under manual_seed(0) is PyTorch's init", () => {
    const { tensors } = decodeSafetensors(readFixture('linear.safetensors'));
    expect(tensors.weight.shape).toEqual([2, 3]);
    expect(tensors.weight.dataSync()[0]).toBe(Math.fround(-0.004322517663240433));
    expect(tensors.bias.dataSync()[1]).toBe(Math.fround(0.45777493715286255));
  });

  it('BatchNorm1d num_batches_tracked (I64) loads as int64', () => {
    const { tensors } = decodeSafetensors(readFixture('sequential.safetensors'));
    expect(tensors['3.num_batches_tracked'].dtype).toBe('int64');
    expect(elements(tensors['3.num_batches_tracked'])).toEqual([1n]);
  });

  it("every dtype loads as its own, exactly: I64's ends and values past 2^53, F64's subnormals and extremes", () => {
    const { tensors } = decodeSafetensors(readFixture('dtypes.safetensors'));
    expect(Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, t.dtype]))).toEqual({
      i64: 'int64', f64: 'float64', scalar: 'float32', empty: 'float32', count: 'int32', bf16: 'float32', f16: 'float32',
      i16: 'int16', i8: 'int8', u8: 'uint8', scalar_u8: 'uint8', mask: 'bool', empty_i64: 'int64',
    });
    expect(elements(tensors.i64)).toEqual([0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 2n ** 31n]);
    expect(elements(tensors.f64)).toEqual([1 / 3, -2.5, 1e-40, 3e38]);
    expect([tensors.empty_i64.shape, tensors.scalar_u8.shape, elements(tensors.scalar_u8)]).toEqual([[2, 0], [], [200]]);
  });
});

describe('encodeSafetensors', () => {
  it('writes the bytes safetensors.torch.save writes, for a tensor of every dtype', () => {
    const reference = expected.files['reference-encoding.safetensors'];
    const tensors: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(reference.tensors)) tensors[name] = tensorOf(t);
    expect(new Set(Object.values(tensors).map((t) => t.dtype))).toEqual(
      new Set(['float64', 'float32', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool']),
    );
    const bytes = encodeSafetensors(tensors, reference.metadata ?? undefined);
    expect(Buffer.from(bytes).equals(Buffer.from(readFixture('reference-encoding.safetensors')))).toBe(true);
  });

  it("writes back PyTorch's file byte for byte after loading it", () => {
    const { tensors, metadata } = decodeSafetensors(readFixture('reference-encoding.safetensors'));
    expect(Buffer.from(encodeSafetensors(tensors, metadata)).equals(Buffer.from(readFixture('reference-encoding.safetensors')))).toBe(true);
  });

  it('writes nn.Linear state the way PyTorch does', () => {
    const { tensors } = decodeSafetensors(readFixture('linear.safetensors'));
    expect(Buffer.from(encodeSafetensors(tensors)).equals(Buffer.from(readFixture('linear.safetensors')))).toBe(true);
  });

  it('round-trips every dtype, 0-d, empty and strided tensors', () => {
    const strided = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float32' }).t();
    const original = {
      strided,
      counts: tensor([1, -2, 2147483647], { dtype: 'int32' }),
      big: tensor([2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n]),
      wide: tensor([[0.1, -0], [5e-324, NaN]], { dtype: 'float64' }).t(),
      short: tensor([-32768, 32767], { dtype: 'int16' }),
      byte: tensor([-128, 127], { dtype: 'int8' }),
      ubyte: tensor([0, 255], { dtype: 'uint8' }),
      mask: tensor([true, false, true]),
      scalar: tensor(3.5),
      empty: tensor([], { dtype: 'float32' }).reshape(0, 4),
    };
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(original, { epoch: '3' }));
    expect(metadata).toEqual({ epoch: '3' });
    for (const [name, t] of Object.entries(original)) {
      expect([tensors[name].dtype, tensors[name].shape, elements(tensors[name])], name).toEqual([t.dtype, t.shape, elements(t.contiguous())]);
    }
    expect(tensors.strided.tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(tensors.counts.dtype).toBe('int32');
    expect(tensors.counts.tolist()).toEqual([1, -2, 2147483647]);
    expect(elements(tensors.wide)).toEqual([0.1, 5e-324, -0, NaN]);
    expect(tensors.mask.tolist()).toEqual([true, false, true]);
    expect(tensors.scalar.shape).toEqual([]);
    expect(tensors.scalar.item()).toBe(3.5);
    expect(tensors.empty.shape).toEqual([0, 4]);
  });

  it('pads the header with spaces to a multiple of 8', () => {
    const bytes = encodeSafetensors({ a: tensor([1], { dtype: 'float32' }) });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    expect(header).toBe('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}  ');
  });

  it('rejects what it cannot write', () => {
    expect(() => encodeSafetensors({ __metadata__: tensor([1]) })).toThrow('"__metadata__" is reserved');
    expect(() => encodeSafetensors({ a: [1, 2] as unknown as Tensor })).toThrow('"a" is not a Tensor');
    expect(() => encodeSafetensors({}, { a: 1 as unknown as string })).toThrow('metadata values must be strings');
  });
});

// ------------------------------------------------------------------------------------------------ by hand

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** A file from its parts: an 8-byte little-endian length, the header bytes, the data. */
function build(header: string | Uint8Array, data: Uint8Array = new Uint8Array(0), length?: bigint): Uint8Array {
  const head = typeof header === 'string' ? utf8(header) : header;
  const out = new Uint8Array(8 + head.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(head.length), true);
  out.set(head, 8);
  out.set(data, 8 + head.length);
  return out;
}

function float32Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

describe('a file written byte by byte per the spec', () => {
  it('loads', () => {
    // header: 2x2 F32 "w" at [0, 16), I64 "n" at [16, 24), BOOL "m" at [24, 26); data little-endian
    const header = '{"__metadata__":{"who":"hand"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},' +
      '"n":{"dtype":"I64","shape":[1],"data_offsets":[16,24]},"m":{"dtype":"BOOL","shape":[2],"data_offsets":[24,26]}}';
    const data = new Uint8Array(26);
    data.set(float32Bytes([1.5, -2, 0.25, 1e10]), 0);
    new DataView(data.buffer).setBigInt64(16, -42n, true);
    data[24] = 1;
    data[25] = 0;
    const { tensors, metadata } = decodeSafetensors(build(header, data));
    expect(metadata).toEqual({ who: 'hand' });
    expect(tensors.w.tolist()).toEqual([[1.5, -2], [0.25, Math.fround(1e10)]]);
    expect(tensors.n.dtype).toBe('int64');
    expect(elements(tensors.n)).toEqual([-42n]);
    expect(tensors.m.tolist()).toEqual([true, false]);
  });

  it('loads from a Uint8Array that is a view into a larger buffer, at an odd offset', () => {
    const file = build('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', float32Bytes([3, 4]));
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(decodeSafetensors(padded.subarray(3)).tensors.x.tolist()).toEqual([3, 4]);
  });
});

describe('decodeSafetensors rejects hostile or corrupt files', () => {
  const oneTensor = (info: string, data = new Uint8Array(8)) => build(`{"x":${info}}`, data);
  const reject = (bytes: Uint8Array, message: string) => {
    expect(() => decodeSafetensors(bytes)).toThrow(SafetensorsError);
    expect(() => decodeSafetensors(bytes)).toThrow(message);
  };

  it('a file too short for the length prefix', () => {
    reject(new Uint8Array(5), 'the file is 5 bytes; it needs at least 8 for the header length');
  });

  it('a header length past the end of the file', () => {
    reject(build('{}', new Uint8Array(0), 1000n), 'the header length (1000 bytes) runs past the end of the file (2 bytes after the length prefix)');
    reject(build('{}', new Uint8Array(0), 2n ** 64n - 1n), 'runs past the end of the file');
  });

  it('data_offsets out of range', () => {
    reject(oneTensor('{"dtype":"F32","shape":[4],"data_offsets":[0,16]}'), 'tensor "x" has data_offsets [0, 16] out of range: the data section holds 8 bytes');
  });

  it('a dtype Descent cannot hold', () => {
    reject(oneTensor('{"dtype":"C64","shape":[1],"data_offsets":[0,8]}'), 'tensor "x" has dtype C64, which Descent cannot hold');
  });

  it('overlapping tensors', () => {
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}';
    reject(build(header, new Uint8Array(12)), 'tensors "a" and "b" overlap (bytes [0, 8) and [4, 12))');
  });

  it('data_offsets that do not match shape times dtype size', () => {
    reject(oneTensor('{"dtype":"F32","shape":[3],"data_offsets":[0,8]}'), 'holding 8 bytes, but shape [3] of F32 needs 12');
    reject(oneTensor('{"dtype":"F32","shape":[2],"data_offsets":[8,0]}'), 'end before they begin');
  });

  it('a header that is not UTF-8', () => {
    reject(build(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])), 'the header is not valid UTF-8');
  });

  it('a header that is not valid JSON', () => {
    reject(build('{"x": {"dtype": "F32",'), 'the header is not valid JSON');
    reject(build('[1, 2]'), "the header must be a JSON object starting with '{'");
    reject(build('{"x": 1} trailing'), 'the header is not valid JSON: unexpected text after the JSON value');
  });

  it('duplicate keys', () => {
    const header = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    reject(build(header, new Uint8Array(8)), 'duplicate key "x"');
  });

  it('a trailing gap after the last tensor', () => {
    reject(oneTensor('{"dtype":"F32","shape":[1],"data_offsets":[0,4]}'), '4 trailing bytes after the last tensor');
  });

  it('a gap between tensors', () => {
    const header = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}';
    reject(build(header, new Uint8Array(12)), '4 unused bytes between tensor "a" and tensor "b" (bytes [4, 8))');
  });

  it('malformed tensor entries and metadata', () => {
    reject(oneTensor('{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}'), 'needs "shape" as a list of non-negative integers');
    reject(oneTensor('{"dtype":"F32","shape":[2]}'), 'needs "data_offsets" as [begin, end]');
    reject(oneTensor('[]'), 'must be described by an object');
    reject(build('{"__metadata__":{"a":1}}'), '"__metadata__" must map strings to strings; "a" is number');
  });

  it('U64 values that do not fit int64 (the unsigned types Descent lacks widen: U64 and U32 to int64, U16 to int32)', () => {
    const data = new Uint8Array(8);
    new DataView(data.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(() => decodeSafetensors(oneTensor('{"dtype":"U64","shape":[1],"data_offsets":[0,8]}', data))).toThrow(
      'safetensors: tensor "x" (U64) holds 9223372036854775808 at element 0, which does not fit int64',
    );
    new DataView(data.buffer).setBigUint64(0, 2n ** 63n - 1n, true);
    const u64 = decodeSafetensors(oneTensor('{"dtype":"U64","shape":[1],"data_offsets":[0,8]}', data)).tensors.x;
    expect([u64.dtype, elements(u64)]).toEqual(['int64', [2n ** 63n - 1n]]);
    new DataView(data.buffer).setUint32(0, 2 ** 32 - 1, true);
    const u32 = decodeSafetensors(oneTensor('{"dtype":"U32","shape":[2],"data_offsets":[0,8]}', data)).tensors.x;
    expect([u32.dtype, elements(u32)]).toEqual(['int64', [2n ** 32n - 1n, 2n ** 31n - 1n]]);
    const u16 = decodeSafetensors(oneTensor('{"dtype":"U16","shape":[4],"data_offsets":[0,8]}', data)).tensors.x;
    expect([u16.dtype, elements(u16)]).toEqual(['int32', [65535, 65535, 65535, 32767]]);
  });

  it('a tensor named __proto__ stays an ordinary entry', () => {
    const { tensors } = decodeSafetensors(build('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', float32Bytes([7])));
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(tensors, '__proto__')!.value.tolist()).toEqual([7]);
  });
});
