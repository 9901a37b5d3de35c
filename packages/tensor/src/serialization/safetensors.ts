/**
 * The safetensors format (https://github.com/huggingface/safetensors), browser-safe: bytes in, bytes out.
 *
 * Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces to a multiple of 8)
 * mapping each tensor name to `{dtype, shape, data_offsets: [begin, end]}` (offsets relative to the end of the
 * header) plus an optional `__metadata__` string map, then the tensor bytes, little-endian, packed without gaps.
 * Writing follows the reference implementation byte for byte: tensors ordered by dtype (widest first) then by
 * name, compact JSON with `__metadata__` first.
 */

import { bytesPerElement, numelOf, type HostArray } from '@descent/backend';
import { fromArray } from '../ops/creation.js';
import { Tensor } from '../tensor.js';
import { DTYPE_CODES, DTYPE_WRITE_RANK, encodeElements, SAFETENSORS_DTYPES } from './safetensors-dtypes.js';
import { parseStrictJson, type JsonObject, type JsonValue } from './strict-json.js';

/** The reference implementation's limit on the header size. */
const MAX_HEADER_SIZE = 100_000_000;
const METADATA_KEY = '__metadata__';

/** A file that is not valid safetensors, or tensors that cannot be written as one. */
export class SafetensorsError extends Error {
  override name = 'SafetensorsError';
}

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

interface TextCodecs {
  TextEncoder: new () => { encode(text: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(bytes: Uint8Array): string };
}
// Both exist in every browser and in Node; reached through globalThis so this file needs no DOM or Node types.
const codecs = globalThis as unknown as TextCodecs;

/** One tensor's place in the file being written. */
export interface SafetensorsEntry {
  name: string;
  tensor: Tensor;
  /** Byte range in the data section. */
  begin: number;
  end: number;
}

/** Everything about a file except the tensor bytes, so writers can stream one tensor at a time. */
export interface SafetensorsLayout {
  /** The 8-byte length prefix followed by the padded JSON header. */
  header: Uint8Array;
  /** In file order. */
  entries: SafetensorsEntry[];
  /** Size of the whole file. */
  byteLength: number;
}

/** Orders names by their UTF-8 bytes, as Rust's `String` ordering does (code point order). */
function compareNames(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    // i and j are inside their strings, so both code points exist.
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(j) ?? 0;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
}

/** Where each tensor goes and the header that says so. */
export function layoutSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): SafetensorsLayout {
  if (typeof tensors !== 'object' || tensors === null) fail('expected an object mapping names to tensors');
  const named = Object.keys(tensors).map((name) => {
    const tensor = tensors[name];
    if (name === METADATA_KEY) fail(`"${METADATA_KEY}" is reserved for the metadata; rename that tensor`);
    if (!(tensor instanceof Tensor)) fail(`"${name}" is not a Tensor (got ${typeof tensor})`);
    return { name, tensor };
  });
  named.sort((p, q) => DTYPE_WRITE_RANK[p.tensor.dtype] - DTYPE_WRITE_RANK[q.tensor.dtype] || compareNames(p.name, q.name));

  const parts: string[] = [];
  if (metadata !== undefined && Object.keys(metadata).length > 0) {
    const fields = Object.keys(metadata).map((key) => {
      const value = metadata[key];
      if (typeof value !== 'string') fail(`metadata values must be strings; "${key}" is a ${typeof value}`);
      return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    });
    parts.push(`"${METADATA_KEY}":{${fields.join(',')}}`);
  }
  let offset = 0;
  const entries = named.map(({ name, tensor }) => {
    const begin = offset;
    offset += tensor.numel() * bytesPerElement[tensor.dtype];
    const info = { dtype: DTYPE_CODES[tensor.dtype], shape: tensor.shape, data_offsets: [begin, offset] };
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(info)}`);
    return { name, tensor, begin, end: offset };
  });

  const json = new codecs.TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const header = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  new DataView(header.buffer).setBigUint64(0, BigInt(padded), true);
  header.set(json, 8);
  return { header, entries, byteLength: header.length + offset };
}

/** A tensor's bytes as stored in the file, from its row-major elements (`tensor.dataSync()` or `dataAsync()`). */
export function tensorBytes(tensor: Tensor, data: HostArray): Uint8Array {
  return encodeElements(tensor.dtype, data);
}

/**
 * Serializes tensors (read synchronously, so on the CPU) to the safetensors format, as
 * `safetensors.torch.save(tensors, metadata)` does, byte for byte: each tensor as its own dtype (float64 as F64, int64
 * as I64, int32 as I32, int16 as I16, int8 as I8, uint8 as U8, bool as BOOL, float32 as F32).
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const { header, entries, byteLength } = layoutSafetensors(tensors, metadata);
  const out = new Uint8Array(byteLength);
  out.set(header, 0);
  for (const { tensor, begin } of entries) out.set(tensorBytes(tensor, tensor.dataSync()), header.length + begin);
  return out;
}

export interface DecodedSafetensors {
  /** In header order. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings (empty when the file has none). */
  metadata: Record<string, string>;
}

function describe(value: JsonValue): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

function readInfo(name: string, value: JsonValue): SafetensorsTensorInfo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(`tensor "${name}" must be described by an object {dtype, shape, data_offsets}, got ${describe(value)}`);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') fail(`tensor "${name}" has no string "dtype"`);
  const isIndex = (v: JsonValue) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex)) fail(`tensor "${name}" needs "shape" as a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    fail(`tensor "${name}" needs "data_offsets" as [begin, end], two non-negative integers`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) fail(`tensor "${name}" has data_offsets [${begin}, ${end}] that end before they begin`);
  return { name, code: dtype, shape: shape as number[], begin, end };
}

function checkInfo(info: SafetensorsTensorInfo, dataLength: number): void {
  const { name, code, shape, begin, end } = info;
  const dtype = SAFETENSORS_DTYPES[code];
  if (dtype === undefined) {
    fail(`tensor "${name}" has dtype ${code}, which Descent cannot hold (it reads ${Object.keys(SAFETENSORS_DTYPES).join(', ')})`);
  }
  if (end > dataLength) {
    fail(`tensor "${name}" has data_offsets [${begin}, ${end}] out of range: the data section holds ${dataLength} bytes`);
  }
  const numel = numelOf(shape);
  const needed = numel * dtype.size;
  if (!Number.isSafeInteger(needed) || needed !== end - begin) {
    fail(
      `tensor "${name}" has data_offsets [${begin}, ${end}] holding ${end - begin} bytes, ` +
        `but shape [${shape.join(', ')}] of ${code} needs ${needed}`,
    );
  }
}

/** The tensors must tile the data section exactly: no overlap, no gap, nothing after the last one. */
function checkTiling(infos: SafetensorsTensorInfo[], dataLength: number): void {
  const sorted = infos.slice().sort((p, q) => p.begin - q.begin || p.end - q.end);
  let covered = 0;
  let previous: SafetensorsTensorInfo | null = null;
  for (const info of sorted) {
    // Only a tensor seen before can cover bytes, so `previous` is set whenever this overlaps.
    if (previous !== null && info.begin < covered) {
      fail(
        `tensors "${previous.name}" and "${info.name}" overlap ` +
          `(bytes [${previous.begin}, ${previous.end}) and [${info.begin}, ${info.end}))`,
      );
    }
    if (info.begin > covered) {
      const after = previous ? `tensor "${previous.name}"` : 'the header';
      fail(`${info.begin - covered} unused bytes between ${after} and tensor "${info.name}" (bytes [${covered}, ${info.begin}))`);
    }
    covered = info.end;
    previous = info;
  }
  if (covered !== dataLength) {
    fail(`${dataLength - covered} trailing bytes after the last tensor: the file is longer than its header says`);
  }
}

/**
 * The JSON header's length from the file's first 8 bytes (`prefix` may hold more), checked against the file size
 * and the reference limit before anything else is read.
 */
export function safetensorsHeaderLength(prefix: Uint8Array, fileSize: number): number {
  if (!(prefix instanceof Uint8Array)) fail('expected the file contents as a Uint8Array');
  if (fileSize < 8) fail(`the file is ${fileSize} bytes; it needs at least 8 for the header length`);
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(fileSize - 8)) {
    fail(`the header length (${length} bytes) runs past the end of the file (${fileSize - 8} bytes after the length prefix)`);
  }
  const n = Number(length);
  if (n > MAX_HEADER_SIZE) fail(`the header is ${n} bytes, over the ${MAX_HEADER_SIZE}-byte limit`);
  return n;
}

function parseHeader(headerBytes: Uint8Array): JsonObject {
  let text: string;
  try {
    text = new codecs.TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    return fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail("the header must be a JSON object starting with '{'");
  let header: JsonValue;
  try {
    header = parseStrictJson(text);
  } catch (error) {
    return fail(`the header is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header must be a JSON object');
  return header;
}

function readMetadata(value: JsonValue | undefined): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (value === undefined || value === null) return metadata;
  if (typeof value !== 'object' || Array.isArray(value)) fail(`"${METADATA_KEY}" must be an object of strings`);
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v !== 'string') fail(`"${METADATA_KEY}" must map strings to strings; "${key}" is ${describe(v)}`);
    Object.defineProperty(metadata, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

/** One tensor's place and type, from a validated header. */
export interface SafetensorsTensorInfo {
  name: string;
  code: string;
  shape: number[];
  /** Byte range in the data section (after the header). */
  begin: number;
  end: number;
}

/**
 * Validates the header (the `headerLength` bytes after the length prefix) of a file whose data section holds
 * `dataLength` bytes, as strictly as the reference implementation: tensors in header order, and the metadata.
 */
export function parseSafetensorsHeader(
  headerBytes: Uint8Array,
  dataLength: number,
): { infos: SafetensorsTensorInfo[]; metadata: Record<string, string> } {
  const header = parseHeader(headerBytes);
  const infos = Object.keys(header)
    .filter((key) => key !== METADATA_KEY)
    .map((name) => readInfo(name, header[name]));
  for (const info of infos) checkInfo(info, dataLength);
  checkTiling(infos, dataLength);
  return { infos, metadata: readMetadata(header[METADATA_KEY]) };
}

/** A tensor from its bytes (`info.end - info.begin` of them), as the Descent dtype its type loads as. */
function decodeTensor(info: SafetensorsTensorInfo, bytes: Uint8Array): Tensor {
  const dtype = SAFETENSORS_DTYPES[info.code];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return fromArray(dtype.decode(view, bytes.byteLength / dtype.size, info.name), info.shape, { dtype: dtype.dtype });
}

/**
 * Reads a safetensors file, validating it as strictly as the reference implementation (and rejecting duplicate
 * names too). F64, F32, I64, I32, I16, I8, U8 and BOOL load as the dtype of the same name, exactly (I64 as int64,
 * in a BigInt64Array); F16 and BF16 load as float32, U16 as int32, U32 as int64, and U64 as int64 with an error
 * for a value over 2^63 - 1.
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const n = safetensorsHeaderLength(bytes, bytes instanceof Uint8Array ? bytes.length : 0);
  const dataStart = 8 + n;
  const { infos, metadata } = parseSafetensorsHeader(bytes.subarray(8, dataStart), bytes.length - dataStart);
  const tensors: Record<string, Tensor> = {};
  for (const info of infos) {
    const tensor = decodeTensor(info, bytes.subarray(dataStart + info.begin, dataStart + info.end));
    Object.defineProperty(tensors, info.name, { value: tensor, enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata };
}
