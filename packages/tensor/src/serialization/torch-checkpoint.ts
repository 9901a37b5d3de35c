/**
 * PyTorch's checkpoint files (`torch.save` / `torch.load`), browser-safe over {@link ByteSource} / {@link ByteSink}:
 *
 * - zip (PyTorch >= 1.6's default): `<archive>/data.pkl` (the pickle), `<archive>/data/<key>` (one record of raw
 *   little-endian elements per storage), `<archive>/version` and `<archive>/byteorder`.
 * - legacy (`_use_new_zipfile_serialization=False`): five pickles in a row (magic number, protocol version 1001,
 *   system info, the object, the sorted storage keys), then each storage as an int64 element count and its bytes.
 *
 * Loading reads the pickle first, then one storage at a time, so memory holds the loaded tensors plus one storage.
 * Elements load as safetensors' do (safetensors-dtypes.ts): every storage of a Descent dtype as that dtype, exactly
 * (LongStorage as int64, DoubleStorage as float64, ...); HalfStorage and BFloat16Storage as float32.
 */

import { isContiguous, numelOf, type HostArray } from '@descent/backend';
import { fromArray } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { CheckpointError, TruncatedPickleError } from './checkpoint-error.js';
import { crc32 as jsCrc32, type Crc32 } from './crc32.js';
import { elementPieces, PIECE_BYTES, readElements } from './element-reader.js';
import { SAFETENSORS_DTYPES } from './safetensors-dtypes.js';
import { PendingTensor, pickleState, resolveTree, unpickleCheckpoint, type StorageRef } from './torch-pickle.js';
import { centralDirectory, localHeader, planZip } from './zip-writer.js';
import { ZipArchive, bytesSource, dataView, type ByteSource, type ZipEntry } from './zip-reader.js';
import { decodeUtf8Lenient, encodeUtf8 } from './utf8.js';
import { mustGet } from './must-get.js';

/** Positional writes into the file being written (a Node file handle, or memory). */
export interface ByteSink {
  write(position: number, bytes: Uint8Array): Promise<void>;
}

export type CheckpointFormat = 'zip' | 'legacy' | 'safetensors';

/** The legacy format's first pickle: PROTO 2, LONG1 of 10 bytes, then the magic number 0x1950a86a20f9469cfc6c. */
const LEGACY_MAGIC = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const LEGACY_PROTOCOL_VERSION = 1001;
/** The most bytes one JavaScript byte array holds. */
const MAX_BYTE_ARRAY = 2 ** 32 - 1;
/** The pickle is a small part of a checkpoint (about 100 bytes per tensor); a bigger one is not a checkpoint. */
const MAX_PICKLE = 1 << 30;

/** Decides a file's format from its first 14 bytes (or fewer, for a short file). */
export function sniffCheckpoint(head: Uint8Array): CheckpointFormat {
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head[0] === 0x80 && LEGACY_MAGIC.every((b, i) => head[i + 2] === b)) return 'legacy';
  return 'safetensors';
}

export interface ReadOptions {
  /** Names the file in errors. */
  file: string;
  /** CRC-32 used to verify zip records (Node passes its native one). */
  crc32?: Crc32;
}

/** Loads the checkpoint in `source` (zip or legacy format); dicts come back as plain objects, tensors on the CPU. */
export async function readTorchCheckpoint(source: ByteSource, options: ReadOptions): Promise<unknown> {
  const head = await source.read(0, Math.min(source.size, 14));
  const format = sniffCheckpoint(head);
  if (format === 'safetensors') {
    throw new CheckpointError(`torch.load: ${options.file} is neither a zip nor a legacy PyTorch checkpoint`);
  }
  return format === 'zip' ? readZip(source, options) : readLegacy(source, options);
}

/** How the tensors' elements are read, per storage. */
interface StorageReader {
  /** All of a storage's elements, in order, read in pieces and converted (a tensor that is its whole storage). */
  elements(ref: StorageRef, name: string): Promise<HostArray>;
  /** A storage's raw bytes (for tensors that view part of it, or through strides). */
  bytes(ref: StorageRef): Promise<Uint8Array>;
}

/** The tree's tensors, filled in one storage at a time. */
async function materialize(tree: unknown, file: string, reader: StorageReader): Promise<unknown> {
  const { root, slots } = resolveTree(tree, file);
  const byStorage = new Map<StorageRef, typeof slots>();
  for (const slot of slots) {
    const users = byStorage.get(slot.tensor.storage);
    if (users === undefined) byStorage.set(slot.tensor.storage, [slot]);
    else users.push(slot);
  }
  for (const [ref, users] of byStorage) {
    const built = new Map<PendingTensor, Tensor>();
    const only = users[0].tensor;
    if (users.every((slot) => slot.tensor === only) && coversStorage(only)) {
      // The usual case: one tensor that is its whole storage, streamed (no raw copy of it is ever held).
      built.set(only, fromArray(await reader.elements(ref, users[0].path), only.shape, { dtype: SAFETENSORS_DTYPES[ref.code].dtype }));
    } else {
      const size = ref.numel * SAFETENSORS_DTYPES[ref.code].size;
      if (size > MAX_BYTE_ARRAY) {
        throw new CheckpointError(
          `torch.load: ${file}: storage "${ref.key}" (${size} bytes) is used through views or by several tensors, which ` +
            'Descent reads only from storages under 4 GiB; in PyTorch, save each tensor .clone()d',
        );
      }
      const bytes = await reader.bytes(ref);
      for (const slot of users) if (!built.has(slot.tensor)) built.set(slot.tensor, buildTensor(bytes, slot.tensor, slot.path, file));
    }
    for (const slot of users) slot.assign(mustGet(built, slot.tensor));
  }
  return root.value;
}

function coversStorage(t: PendingTensor): boolean {
  return t.offset === 0 && numelOf(t.shape) === t.storage.numel && isContiguous({ shape: t.shape, strides: t.stride, offset: 0 });
}


/** One tensor from its storage's bytes: gathers its elements (any strides), then decodes them as its Descent dtype. */
function buildTensor(storage: Uint8Array, pending: PendingTensor, name: string, file: string): Tensor {
  const { code } = pending.storage;
  const dtype = SAFETENSORS_DTYPES[code];
  const { shape, stride, offset } = pending;
  const numel = numelOf(shape);
  const size = dtype.size;
  let raw: Uint8Array;
  if (isContiguous({ shape, strides: stride, offset })) raw = storage.subarray(offset * size, (offset + numel) * size);
  else {
    raw = new Uint8Array(numel * size);
    const index = new Array<number>(shape.length).fill(0);
    let source = offset;
    for (let i = 0; i < numel; i++) {
      raw.set(storage.subarray(source * size, source * size + size), i * size);
      for (let d = shape.length - 1; d >= 0; d--) {
        source += stride[d];
        if (++index[d] < shape[d]) break;
        source -= stride[d] * shape[d];
        index[d] = 0;
      }
    }
  }
  const data = dtype.decode(new DataView(raw.buffer, raw.byteOffset, raw.byteLength), numel, name, { label: `torch.load: ${file}:` });
  return fromArray(data, shape, { dtype: dtype.dtype });
}

async function readZip(source: ByteSource, { file, crc32 = jsCrc32 }: ReadOptions): Promise<unknown> {
  const where = `torch.load: ${file}`;
  const archive = await ZipArchive.open(source, where);
  const names = [...archive.entries.keys()];
  const prefix = names.length > 0 ? names[0].slice(0, names[0].indexOf('/') + 1) : '';
  const record = (name: string) => archive.entries.get(prefix + name);
  const pickle = record('data.pkl');
  if (pickle === undefined || prefix === '') {
    const jit = names.some((n) => n.endsWith('/constants.pkl'));
    throw new CheckpointError(
      jit
        ? `${where} is a TorchScript archive (torch.jit.save); load it in PyTorch and save its state_dict() with torch.save`
        : `${where} is a zip archive without the data.pkl record of a PyTorch checkpoint`,
    );
  }
  const order = record('byteorder');
  if (order !== undefined && decodeUtf8Lenient(await archive.read(order, crc32)) !== 'little') {
    throw new CheckpointError(`${where} was saved on a big-endian machine; load and re-save it on a little-endian one`);
  }
  if (pickle.size > MAX_PICKLE) throw new CheckpointError(`${where}: data.pkl is ${pickle.size} bytes, more than any checkpoint holds`);
  const { value } = unpickleCheckpoint(await archive.read(pickle, crc32), 0, file, false);
  const entryOf = (ref: StorageRef): ZipEntry => {
    const entry = record(`data/${ref.key}`);
    const expected = ref.numel * SAFETENSORS_DTYPES[ref.code].size;
    if (entry === undefined || entry.size !== expected) {
      throw new CheckpointError(
        `${where}: storage "${ref.key}" should be a record data/${ref.key} of ${expected} bytes, but ` +
          `${entry === undefined ? 'there is none' : `it has ${entry.size}`}; the file is truncated or corrupt`,
      );
    }
    return entry;
  };
  return materialize(value, file, {
    bytes: (ref) => archive.read(entryOf(ref), crc32),
    async elements(ref, name) {
      const entry = entryOf(ref);
      const start = await archive.dataOffset(entry);
      let crc = 0;
      let done = 0;
      const sum = (bytes: Uint8Array) => {
        crc = crc32(bytes, crc);
        done += bytes.length;
      };
      try {
        const data = await readElements(source, start, ref.code, ref.numel, name, { label: `${where}:` }, sum);
        archive.checkCrc(entry, crc);
        return data;
      } catch (error) {
        // A damaged record can look like values out of range: report the damage, which is what needs fixing.
        while (done < entry.size) sum(await source.read(start + done, Math.min(PIECE_BYTES, entry.size - done)));
        archive.checkCrc(entry, crc);
        throw error;
      }
    },
  });
}

async function readLegacy(source: ByteSource, { file }: ReadOptions): Promise<unknown> {
  const where = `torch.load: ${file}`;
  // The five pickles have no length prefix: parse from a prefix of the file, reading more if one runs past it.
  for (let length = Math.min(source.size, 1 << 20); ; length = Math.min(source.size, length * 4)) {
    const bytes = await source.read(0, length);
    try {
      const magic = unpickleCheckpoint(bytes, 0, file, true);
      const protocol = unpickleCheckpoint(bytes, magic.end, file, true);
      if (protocol.value !== LEGACY_PROTOCOL_VERSION) {
        throw new CheckpointError(`${where}: legacy protocol version ${String(protocol.value)} is not ${LEGACY_PROTOCOL_VERSION}`);
      }
      const info = unpickleCheckpoint(bytes, protocol.end, file, true);
      const infoTree = resolveTree(info.value, file).root.value as Record<string, unknown> | null;
      if (infoTree?.little_endian === false) {
        throw new CheckpointError(`${where} was saved on a big-endian machine; load and re-save it on a little-endian one`);
      }
      const main = unpickleCheckpoint(bytes, info.end, file, true);
      const keys = unpickleCheckpoint(bytes, main.end, file, true);
      const list = resolveTree(keys.value, file).root.value;
      const distinct = Array.isArray(list) && new Set(list).size === list.length;
      if (!distinct || list.length !== main.storages.size || !list.every((k) => main.storages.has(k as string))) {
        throw new CheckpointError(`${where}: the storage key list does not match the storages the pickle uses`);
      }
      const places = await locateLegacyStorages(source, keys.end, list as string[], main.storages, where);
      return materialize(main.value, file, {
        bytes: (ref) => source.read(mustGet(places, ref.key), ref.numel * SAFETENSORS_DTYPES[ref.code].size),
        elements: (ref, name) => readElements(source, mustGet(places, ref.key), ref.code, ref.numel, name, { label: `${where}:` }),
      });
    } catch (error) {
      if (!(error instanceof TruncatedPickleError) || length === source.size || length >= MAX_PICKLE) throw error;
    }
  }
}

/** Each legacy storage is an int64 element count and its bytes, in key order; returns where each one's bytes start. */
async function locateLegacyStorages(
  source: ByteSource,
  start: number,
  keys: readonly string[],
  storages: ReadonlyMap<string, StorageRef>,
  where: string,
): Promise<Map<string, number>> {
  const places = new Map<string, number>();
  let at = start;
  for (const key of keys) {
    const ref = mustGet(storages, key);
    const bytes = ref.numel * SAFETENSORS_DTYPES[ref.code].size;
    if (at + 8 + bytes > source.size) {
      throw new CheckpointError(`${where}: storage "${key}" (${bytes} bytes at byte ${at + 8}) runs past the end of the file; the file is truncated`);
    }
    const count = dataView(await source.read(at, 8)).getBigInt64(0, true);
    if (count !== BigInt(ref.numel)) {
      throw new CheckpointError(`${where}: storage "${key}" holds ${count} elements where its tensors need ${ref.numel}; the file is corrupt`);
    }
    places.set(key, at + 8);
    at += 8 + bytes;
  }
  return places;
}

export interface WriteOptions {
  /** The archive's top folder; PyTorch uses the file name without its extension. */
  archiveName: string;
  crc32?: Crc32;
  /** Sizes and offsets from which zip64 fields are used: 4 GiB, lower only to test them. */
  zip64Threshold?: number;
}

/**
 * Writes `state` as `torch.save` does (zip format, pickle protocol 2), streaming one tensor at a time into `sink`
 * (read with `dataAsync`, so GPU tensors work). Returns the file's size.
 */
export async function writeTorchCheckpoint(state: unknown, sink: ByteSink, options: WriteOptions): Promise<number> {
  const { archiveName, crc32 = jsCrc32 } = options;
  const { pickle, storages } = pickleState(state);
  const fixed = new Map<string, Uint8Array>([
    ['data.pkl', pickle],
    ['byteorder', encodeUtf8('little')],
    ['version', encodeUtf8('3\n')],
  ]);
  const records = [
    { name: 'data.pkl', size: pickle.length },
    { name: 'byteorder', size: 6 },
    ...storages.map((s) => ({ name: `data/${s.key}`, size: s.byteLength })),
    { name: 'version', size: 2 },
  ];
  const plan = planZip(records.map((r) => ({ name: `${archiveName}/${r.name}`, size: r.size })), options.zip64Threshold);
  const crcs: number[] = [];
  for (const [i, record] of plan.records.entries()) {
    const storage = storages[i - 2];
    const fixedBytes = fixed.get(records[i].name);
    const pieces = fixedBytes !== undefined
      ? [fixedBytes]
      : elementPieces(storage.tensor.dtype, await storage.tensor.dataAsync());
    let crc = 0;
    let at = record.dataOffset;
    for (const bytes of pieces) {
      crc = crc32(bytes, crc);
      await sink.write(at, bytes);
      at += bytes.length;
    }
    crcs.push(crc);
    await sink.write(record.headerOffset, localHeader(record, crc));
  }
  const directory = centralDirectory(plan, crcs);
  await sink.write(plan.directoryOffset, directory);
  return plan.directoryOffset + directory.length;
}

/** The bytes `torch.save` would write for `state`, in memory (to download from a browser); tensors on any device. */
export async function encodeTorchCheckpoint(state: unknown, archiveName = 'archive'): Promise<Uint8Array> {
  const chunks: [number, Uint8Array][] = [];
  const size = await writeTorchCheckpoint(state, { write: async (at, bytes) => void chunks.push([at, bytes.slice()]) }, { archiveName });
  const out = new Uint8Array(size);
  for (const [at, bytes] of chunks) out.set(bytes, at);
  return out;
}

/** Reads a PyTorch checkpoint (zip or legacy) held in memory, e.g. fetched in a browser. */
export function decodeTorchCheckpoint(bytes: Uint8Array): Promise<unknown> {
  return readTorchCheckpoint(bytesSource(bytes), { file: 'the checkpoint' });
}
