/// <reference types="node" />
// Node-only: reached through the `@descent/tensor/node` entry, never from the browser-safe main entry.

import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as zlib from 'node:zlib';
import type { Tensor } from '../tensor.js';
import { CheckpointError } from './checkpoint-error.js';
import type { Crc32 } from './crc32.js';
import { fromArray } from '../ops/creation.js';
import { elementPieces, readElements } from './element-reader.js';
import { SAFETENSORS_DTYPES } from './safetensors-dtypes.js';
import { layoutSafetensors, parseSafetensorsHeader, SafetensorsError, safetensorsHeaderLength } from './safetensors.js';
import { flattenState, STRUCTURE_KEY, unflattenState } from './state-structure.js';
import { readTorchCheckpoint, sniffCheckpoint, writeTorchCheckpoint, type ByteSink } from './torch-checkpoint.js';
import type { ByteSource } from './zip-reader.js';

export interface SaveOptions {
  /**
   * `'torch'`: PyTorch's own format, what Python's `torch.save` writes (a zip archive). `'safetensors'`: the
   * safetensors format. By default a path ending in `.safetensors` gets safetensors and any other path `'torch'`.
   */
  format?: 'torch' | 'safetensors';
  /** Extra `__metadata__` strings stored in a safetensors file. */
  metadata?: Record<string, string>;
}

/** Node's native CRC-32 (Node >= 20.15) is many times faster than the JavaScript one on large checkpoints. */
const nativeCrc32: Crc32 | undefined =
  typeof zlib.crc32 === 'function' ? (bytes, previous) => zlib.crc32(bytes, previous) : undefined;

/** Node's reads and writes take at most 2 GiB at a time; large tensors go in pieces. */
const IO_CHUNK = 256 * 1024 * 1024;

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, Math.min(IO_CHUNK, bytes.length - done), position + done);
    done += bytesWritten;
  }
}

/** Positional reads from an open file; `file` names it when the file turns out shorter than it was. */
function fileSource(handle: FileHandle, size: number, file: string): ByteSource {
  const readInto = async (position: number, target: Uint8Array) => {
    for (let done = 0; done < target.length; ) {
      const { bytesRead } = await handle.read(target, done, Math.min(IO_CHUNK, target.length - done), position + done);
      if (bytesRead === 0) throw new CheckpointError(`torch.load: ${file} ended at byte ${position + done} while being read`);
      done += bytesRead;
    }
  };
  return {
    size,
    readInto,
    async read(position, length) {
      const out = new Uint8Array(length);
      await readInto(position, out);
      return out;
    },
  };
}

/** Makes a finished rename durable (best effort: not every platform can fsync a directory). */
async function syncDirectory(path: string): Promise<void> {
  try {
    const dir = await open(path, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Windows and some filesystems refuse; the rename itself is still atomic.
  }
}

/** Temporary files this process is writing now, so a concurrent save to the same path keeps them. */
const writing = new Set<string>();

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files that saves to `path` left behind when killed (`kill -9`, a power cut): those whose
 * writing process (its pid is in the name) is gone. Another live process's save keeps its file.
 */
async function removeStaleTemporaries(path: string): Promise<void> {
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.(?:(\\d+)-)?[0-9a-f]{12}\\.tmp$`);
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const match = pattern.exec(name);
    const full = join(dirname(path), name);
    if (match === null || writing.has(full)) continue;
    const pid = match[1] === undefined ? undefined : Number(match[1]);
    if (pid !== undefined && pid !== process.pid && isRunning(pid)) continue;
    await rm(full, { force: true }).catch(() => undefined); // best effort: never fail the save over an old temporary
  }
}

/**
 * Writes a file atomically: into a temporary file in the same directory, fsynced, then renamed over `path`. On any
 * failure the temporary file is removed and a previous file at `path` stays as it was.
 */
async function writeAtomically(path: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  await removeStaleTemporaries(path);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  writing.add(temporary); // before it exists, so a concurrent save to the same path never takes it for stale
  try {
    const handle = await open(temporary, 'wx');
    try {
      await write(handle);
      await handle.sync();
      await handle.close();
      await rename(temporary, path);
    } catch (error) {
      await handle.close().catch(() => undefined); // already closed when the rename failed
      await rm(temporary, { force: true });
      throw error;
    }
  } finally {
    writing.delete(temporary);
  }
  await syncDirectory(dirname(path));
}

/** PyTorch names the archive's top folder after the file, without its extension. */
function archiveName(path: string): string {
  const base = basename(path);
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  return stem === '' ? 'archive' : stem;
}

/**
 * Saves state to `path`, as `torch.save`. By default (any path not ending in `.safetensors`) the file is what
 * Python's `torch.save` writes: a zip archive with the pickled state (pickle protocol 2) and one record per tensor,
 * which `torch.load(path, weights_only=True)` reads in Python. State dicts are written as `OrderedDict`s; nested
 * objects, arrays, numbers, strings, booleans and null as Python dicts, lists, ints/floats, strings, bools and None.
 *
 * Paths ending in `.safetensors` (or `format: 'safetensors'`) get safetensors: a flat `{name: Tensor}` dict is
 * written as is; nested state (optimizer state) has its tensors stored under dotted paths and the rest as JSON
 * in the metadata, so {@link load} rebuilds it.
 *
 * The write is atomic: the bytes go to a temporary file in the same directory, which is fsynced and then renamed
 * over `path`. If anything fails (a tensor that cannot be read, a full disk), the temporary file is removed and a
 * previous file at `path` is left untouched; temporary files that a killed save left are removed by the next save
 * to the same path. Tensors are read one at a time with `dataAsync()`, so GPU tensors work too.
 */
export async function save(state: object, path: string, options: SaveOptions = {}): Promise<void> {
  const format = options.format ?? (path.endsWith('.safetensors') ? 'safetensors' : 'torch');
  if (format === 'torch') {
    if (options.metadata !== undefined) {
      throw new TypeError(`torch.save: metadata is stored only in safetensors files; name the file ${basename(path)}.safetensors`);
    }
    const name = archiveName(path);
    return writeAtomically(path, async (handle) => {
      const sink: ByteSink = { write: (position, bytes) => writeAll(handle, bytes, position) };
      await writeTorchCheckpoint(state, sink, { archiveName: name, crc32: nativeCrc32 });
    });
  }
  if (format !== 'safetensors') throw new RangeError(`torch.save: format must be 'torch' or 'safetensors', got ${String(format)}`);
  const { tensors, structure } = flattenState(state);
  const metadata: Record<string, string> = { ...options.metadata };
  if (STRUCTURE_KEY in metadata) throw new RangeError(`save: the metadata key "${STRUCTURE_KEY}" is reserved`);
  if (structure !== null) metadata[STRUCTURE_KEY] = structure;
  const layout = layoutSafetensors(tensors, metadata);
  await writeAtomically(path, async (handle) => {
    await writeAll(handle, layout.header, 0);
    for (const { tensor, begin } of layout.entries) {
      let at = layout.header.length + begin;
      for (const bytes of elementPieces(tensor.dtype, await tensor.dataAsync())) {
        await writeAll(handle, bytes, at);
        at += bytes.length;
      }
    }
  });
}

async function loadSafetensors(source: ByteSource): Promise<unknown> {
  const headerLength = safetensorsHeaderLength(await source.read(0, Math.min(8, source.size)), source.size);
  const dataStart = 8 + headerLength;
  const { infos, metadata } = parseSafetensorsHeader(await source.read(8, headerLength), source.size - dataStart);
  const tensors: Record<string, Tensor> = {};
  for (const { name, code, shape, begin, end } of infos) {
    const { size, dtype } = SAFETENSORS_DTYPES[code];
    const tensor = fromArray(await readElements(source, dataStart + begin, code, (end - begin) / size, name, {}), shape, { dtype });
    Object.defineProperty(tensors, name, { value: tensor, enumerable: true, writable: true, configurable: true });
  }
  return unflattenState(tensors, metadata[STRUCTURE_KEY]);
}

/**
 * Loads what `torch.save` wrote, in Descent or in Python, deciding the format by the file's first bytes, not its
 * name: PyTorch's zip checkpoints (`.pt`, `.pth`, `.bin`, ...), its legacy pre-1.6 format, and safetensors.
 *
 * PyTorch files are read under the rules of `torch.load(path, weights_only=True)`: tensors, dicts, lists, tuples,
 * numbers, strings, booleans and None only; a file that asks for any other Python object is refused before
 * anything runs. Dicts (state dicts included) come back as plain objects with their keys in order (integer keys
 * become strings), tuples and lists as arrays. Tensors keep their dtype (float64, int64 exactly, int32, int16,
 * int8, uint8, bool, float32); float16/bfloat16 ones load as float32. The file is read in pieces, never whole, so
 * checkpoints over 2 GiB load. Name the type you expect: `await load<Record<string, Tensor>>('model.pt')`.
 */
export async function load<T = Record<string, Tensor>>(path: string): Promise<T> {
  const info = await stat(path);
  if (!info.isFile()) throw new CheckpointError(`torch.load: ${path} is not a regular file, so it cannot be a checkpoint`);
  const handle = await open(path, 'r');
  try {
    const source = fileSource(handle, info.size, path);
    const format = sniffCheckpoint(await source.read(0, Math.min(info.size, 14)));
    if (format !== 'safetensors') return (await readTorchCheckpoint(source, { file: path, crc32: nativeCrc32 })) as T;
    try {
      return (await loadSafetensors(source)) as T;
    } catch (error) {
      if (error instanceof SafetensorsError) {
        error.message = `${error.message} (in ${path})`;
        if (!path.endsWith('.safetensors')) error.message += '. It is not a PyTorch checkpoint (zip or legacy) either.';
      }
      throw error;
    }
  } finally {
    await handle.close();
  }
}
