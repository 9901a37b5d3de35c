/// <reference types="node" />
// Node-only: reached through the `@descent/tensor/node` entry, never from the browser-safe main entry.

import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Tensor } from '../tensor.js';
import { decodeSafetensors, layoutSafetensors, SafetensorsError, tensorBytes } from './safetensors.js';
import { flattenState, STRUCTURE_KEY, unflattenState } from './state-structure.js';

export interface SaveOptions {
  /** Extra `__metadata__` strings stored in the file. */
  metadata?: Record<string, string>;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
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

/**
 * Saves a state dict to a safetensors file, as `torch.save` (but in the safe, portable safetensors format that
 * Python's `safetensors.torch.load_file` reads). `state` is a flat `{name: Tensor}` dict (written as is), or nested
 * state such as an optimizer's `{state: {0: {momentumBuffer, step}}, paramGroups: [...]}`: its tensors are stored
 * under their dotted paths (`state.0.momentumBuffer`) and the rest as JSON in the metadata, so {@link load} rebuilds it.
 *
 * The write is atomic: the bytes go to a temporary file in the same directory, which is fsynced and then renamed
 * over `path`. If anything fails (a tensor that cannot be read, a full disk), the temporary file is removed and a
 * previous file at `path` is left untouched. Tensors are read with `dataAsync()`, so GPU tensors work too.
 */
export async function save(state: object, path: string, options: SaveOptions = {}): Promise<void> {
  const { tensors, structure } = flattenState(state);
  const metadata: Record<string, string> = { ...options.metadata };
  if (STRUCTURE_KEY in metadata) throw new RangeError(`save: the metadata key "${STRUCTURE_KEY}" is reserved`);
  if (structure !== null) metadata[STRUCTURE_KEY] = structure;
  const layout = layoutSafetensors(tensors, metadata);

  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    await writeAll(handle, layout.header, 0);
    for (const { tensor, begin } of layout.entries) {
      await writeAll(handle, tensorBytes(tensor, await tensor.dataAsync()), layout.header.length + begin);
    }
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined); // already closed when the rename failed
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * Loads a safetensors file written by {@link save} or by Python's safetensors: a flat `{name: Tensor}` dict, or the
 * nested state that was saved. Python's float64/float16/bfloat16 load as float32 and int64 as int32 (with a range
 * check). Name the type you expect: `await load<Record<string, Tensor>>('model.safetensors')`.
 */
export async function load<T = Record<string, Tensor>>(path: string): Promise<T> {
  const file = await readFile(path);
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  let decoded;
  try {
    decoded = decodeSafetensors(bytes);
  } catch (error) {
    if (error instanceof SafetensorsError) error.message = `${error.message} (in ${path})`;
    throw error;
  }
  return unflattenState(decoded.tensors, decoded.metadata[STRUCTURE_KEY]) as T;
}
