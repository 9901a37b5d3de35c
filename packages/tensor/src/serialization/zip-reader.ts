/**
 * Reads the zip archives `torch.save` writes, browser-safe, through positional reads: the end-of-central-directory
 * record (zip64 too), then the central directory, then each record's bytes on demand, so a checkpoint larger than
 * memory allows as one buffer (or than Node's 2 GiB `readFile`) still loads. Every size and offset is checked
 * against the file before anything is read at it, and each record's CRC-32 is verified, as PyTorch's reader does.
 */

import { CheckpointError } from './checkpoint-error.js';
import type { Crc32 } from './crc32.js';
import { decodeUtf8Lenient } from './utf8.js';

/** Random access to a file's bytes (a Node file handle, a browser Blob, or bytes in memory). */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Exactly `length` bytes at `position`; callers stay within `size`. */
  read(position: number, length: number): Promise<Uint8Array>;
  /** Fills `target` from `position`, saving a copy where the source can (large tensors are read this way). */
  readInto?(position: number, target: Uint8Array): Promise<void>;
}

/** A DataView over exactly these bytes (a Node Buffer may sit inside a larger shared pool). */
export const dataView = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A {@link ByteSource} over bytes already in memory. */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (position, length) => Promise.resolve(bytes.subarray(position, position + length)),
    readInto: (position, target) => Promise.resolve(target.set(bytes.subarray(position, position + target.length))),
  };
}

export interface ZipEntry {
  name: string;
  size: number;
  crc: number;
  headerOffset: number;
}

const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** A checkpoint's directory holds ~60 bytes per tensor; this allows millions and stops a hostile size early. */
const MAX_DIRECTORY = 256 * 1024 * 1024;
const U32_MAX = 0xffffffff;

export class ZipArchive {
  private constructor(
    private readonly source: ByteSource,
    /** In directory order. */
    readonly entries: ReadonlyMap<string, ZipEntry>,
    private readonly directoryOffset: number,
    private readonly where: string,
  ) {}

  /** Reads and checks the directory. `where` starts every error message ("torch.load: model.pt"). */
  static async open(source: ByteSource, where: string): Promise<ZipArchive> {
    const fail = (message: string): never => {
      throw new CheckpointError(`${where}: ${message}; the file is truncated or corrupt (re-save it, or copy it again)`);
    };
    if (source.size < EOCD_SIZE) fail(`it is ${source.size} bytes, too short for a zip archive`);
    const tailStart = Math.max(0, source.size - EOCD_SIZE - MAX_COMMENT);
    const tail = await source.read(tailStart, source.size - tailStart);
    const tailView = dataView(tail);
    let eocd = -1;
    for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
      if (tailView.getUint32(i, true) === 0x06054b50 && i + EOCD_SIZE + tailView.getUint16(i + 20, true) === tail.length) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) fail('the zip end-of-central-directory record is missing');
    let count = tailView.getUint16(eocd + 10, true);
    let directorySize = tailView.getUint32(eocd + 12, true);
    let directoryOffset = tailView.getUint32(eocd + 16, true);
    let directoryEnd = tailStart + eocd;
    if (tailView.getUint16(eocd + 4, true) !== 0 && tailView.getUint16(eocd + 4, true) !== 0xffff) fail('it is a multi-disk zip');
    if (count === 0xffff || directorySize === U32_MAX || directoryOffset === U32_MAX) {
      const locator = directoryEnd - 20;
      if (locator < 0) fail('the zip64 locator is missing');
      const loc = dataView(await source.read(locator, 20));
      if (loc.getUint32(0, true) !== 0x07064b50) fail('the zip64 locator is missing');
      const recordOffset = Number(loc.getBigUint64(8, true));
      if (recordOffset + 56 > locator) fail('the zip64 end-of-central-directory record lies outside the file');
      const record = dataView(await source.read(recordOffset, 56));
      if (record.getUint32(0, true) !== 0x06064b50) fail('the zip64 end-of-central-directory record is missing');
      count = Number(record.getBigUint64(32, true));
      directorySize = Number(record.getBigUint64(40, true));
      directoryOffset = Number(record.getBigUint64(48, true));
      directoryEnd = recordOffset;
    }
    if (directoryOffset + directorySize > directoryEnd) {
      fail(`the central directory (bytes ${directoryOffset} to ${directoryOffset + directorySize}) runs past the end of the file`);
    }
    if (directorySize > MAX_DIRECTORY || count * 46 > directorySize) {
      fail(`the central directory claims ${count} entries in ${directorySize} bytes`);
    }
    const directory = await source.read(directoryOffset, directorySize);
    const entries = parseDirectory(directory, count, directoryOffset, where, fail);
    // Records that do not overlap fit in the data before the directory; overlapping ones would let a small file
    // ask for its bytes many times over. (A record too big on its own is reported by name when it is read.)
    let claimed = 0;
    for (const entry of entries.values()) if (entry.headerOffset + entry.size <= directoryOffset) claimed += entry.size;
    if (claimed > directoryOffset) fail(`its records claim ${claimed} bytes, more than the ${directoryOffset} bytes of data (they overlap)`);
    return new ZipArchive(source, entries, directoryOffset, where);
  }

  /** Where a record's data starts, checked to lie before the central directory. */
  async dataOffset(entry: ZipEntry): Promise<number> {
    const header = dataView(await this.source.read(entry.headerOffset, 30));
    if (header.getUint32(0, true) !== 0x04034b50) this.fail(entry, `has no local header at byte ${entry.headerOffset}`);
    const start = entry.headerOffset + 30 + header.getUint16(26, true) + header.getUint16(28, true);
    if (start + entry.size > this.directoryOffset) {
      this.fail(entry, `points past the end of the data (bytes ${start} to ${start + entry.size}, the data ends at ${this.directoryOffset})`);
    }
    return start;
  }

  /** A record's bytes, CRC-checked when `crc32` is given. */
  async read(entry: ZipEntry, crc32?: Crc32): Promise<Uint8Array> {
    const bytes = await this.source.read(await this.dataOffset(entry), entry.size);
    if (crc32 !== undefined) this.checkCrc(entry, crc32(bytes));
    return bytes;
  }

  /** Fails unless `crc` (of the record's bytes, computed by the caller when it read them in pieces) is the stored one. */
  checkCrc(entry: ZipEntry, crc: number): void {
    if (crc !== entry.crc) this.fail(entry, 'fails its CRC-32 check');
  }

  private fail(entry: ZipEntry, message: string): never {
    throw new CheckpointError(`${this.where}: record "${entry.name}" ${message}; the file is truncated or corrupt (re-save it)`);
  }
}

function parseDirectory(
  directory: Uint8Array,
  count: number,
  directoryOffset: number,
  where: string,
  fail: (message: string) => never,
): Map<string, ZipEntry> {
  const view = dataView(directory);
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || view.getUint32(at, true) !== 0x02014b50) fail(`central directory entry ${i} is damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const next = at + 46 + nameLength + extraLength + view.getUint16(at + 32, true);
    if (next > directory.length) fail(`central directory entry ${i} runs past the directory`);
    const name = decodeUtf8Lenient(directory.subarray(at + 46, at + 46 + nameLength));
    let compressed = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    let headerOffset = view.getUint32(at + 42, true);
    // zip64 extra: the 8-byte values, in this order, of the fields that hold 0xffffffff
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(e, true);
      const length = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let field = e + 4;
        const wide = (value: number): number => {
          if (value !== U32_MAX) return value;
          if (field + 8 > e + 4 + length) fail(`entry "${name}" has a short zip64 field`);
          field += 8;
          return Number(view.getBigUint64(field - 8, true));
        };
        size = wide(size);
        compressed = wide(compressed);
        headerOffset = wide(headerOffset);
      }
      e += 4 + length;
    }
    if (flags & 1) fail(`entry "${name}" is encrypted`);
    if (method !== 0 || compressed !== size) {
      throw new CheckpointError(
        `${where}: zip entry "${name}" is compressed (method ${method}); PyTorch checkpoints store ` +
          'records uncompressed, so this archive was repacked: load and re-save it with torch.save in Python',
      );
    }
    if (headerOffset + 30 > directoryOffset) fail(`entry "${name}" points past the end of the data (header at byte ${headerOffset})`);
    if (entries.has(name)) fail(`the archive holds "${name}" twice`);
    entries.set(name, { name, size, crc: view.getUint32(at + 16, true), headerOffset });
    at = next;
  }
  return entries;
}
