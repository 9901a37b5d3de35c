/**
 * The zip container PyTorch's `torch.save` writes (its `PyTorchStreamWriter`, on miniz), browser-safe: every
 * record stored uncompressed, its data aligned to 64 bytes by an "FB" padding extra field in the local header (so
 * a reader can map tensors in place), and zip64 fields once a size or an offset reaches 4 GiB.
 *
 * The layout is planned from the record sizes alone, before any data exists, so a writer can stream each
 * record's bytes to its offset, then write its local header (which holds the CRC) and finally the central
 * directory. Headers are complete (no data descriptors), which every zip reader accepts.
 */

import { encodeUtf8 } from './utf8.js';

/** PyTorch's `kFieldAlignment`. */
export const ZIP_ALIGNMENT = 64;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const FLAG_UTF8 = 0x0800;

export interface ZipRecordPlan {
  name: string;
  size: number;
  /** Where the local header starts. */
  headerOffset: number;
  /** Where the data starts: a multiple of {@link ZIP_ALIGNMENT}. */
  dataOffset: number;
  /** The local header's extra field: zip64 sizes when needed, then the padding. */
  localExtra: Uint8Array;
  /** The size needs zip64 fields (4 GiB or more). */
  wideSize: boolean;
}

export interface ZipPlan {
  records: ZipRecordPlan[];
  /** Where the central directory starts (just after the last record). */
  directoryOffset: number;
  /** Records at or past this size or offset get zip64 fields: 4 GiB, lower only in tests. */
  zip64Threshold: number;
}

function zip64Extra(values: number[]): Uint8Array {
  const extra = new Uint8Array(4 + 8 * values.length);
  const view = new DataView(extra.buffer);
  view.setUint16(0, 0x0001, true);
  view.setUint16(2, 8 * values.length, true);
  values.forEach((value, i) => view.setBigUint64(4 + 8 * i, BigInt(value), true));
  return extra;
}

/** The "FB" extra field PyTorch uses to pad the data to the alignment: "FB", the length, then 'Z's. */
function paddingExtra(padding: number): Uint8Array {
  const extra = new Uint8Array(4 + padding).fill(0x5a);
  extra.set([0x46, 0x42, padding & 0xff, padding >> 8]);
  return extra;
}

/** Places each record (in order) after the previous one, data aligned to 64 bytes. */
export function planZip(records: readonly { name: string; size: number }[], zip64Threshold = U32_MAX): ZipPlan {
  let cursor = 0;
  const names = new Set<string>();
  const planned = records.map(({ name, size }) => {
    if (names.has(name)) throw new RangeError(`zip: two records are named "${name}"`);
    names.add(name);
    const nameLength = encodeUtf8(name).length;
    const wideSize = size >= zip64Threshold;
    const sizes = wideSize ? zip64Extra([size, size]) : new Uint8Array(0);
    const start = cursor + LOCAL_HEADER_SIZE + nameLength + sizes.length + 4;
    const padding = (ZIP_ALIGNMENT - (start % ZIP_ALIGNMENT)) % ZIP_ALIGNMENT;
    const localExtra = new Uint8Array(sizes.length + 4 + padding);
    localExtra.set(sizes);
    localExtra.set(paddingExtra(padding), sizes.length);
    const plan = { name, size, headerOffset: cursor, dataOffset: start + padding, localExtra, wideSize };
    cursor = plan.dataOffset + size;
    return plan;
  });
  return { records: planned, directoryOffset: cursor, zip64Threshold };
}

/** The local header of a record whose data has the given CRC-32. */
export function localHeader(record: ZipRecordPlan, crc: number): Uint8Array {
  const name = encodeUtf8(record.name);
  const out = new Uint8Array(LOCAL_HEADER_SIZE + name.length + record.localExtra.length);
  const view = new DataView(out.buffer);
  const big = record.wideSize;
  view.setUint32(0, 0x04034b50, true);
  view.setUint16(4, big ? 45 : 20, true); // version needed: 4.5 for zip64
  view.setUint16(6, FLAG_UTF8, true);
  view.setUint16(8, 0, true); // stored
  view.setUint16(10, 0, true); // time
  view.setUint16(12, 0x21, true); // date: 1980-01-01, as reproducible archives write
  view.setUint32(14, crc, true);
  view.setUint32(18, big ? U32_MAX : record.size, true);
  view.setUint32(22, big ? U32_MAX : record.size, true);
  view.setUint16(26, name.length, true);
  view.setUint16(28, record.localExtra.length, true);
  out.set(name, LOCAL_HEADER_SIZE);
  out.set(record.localExtra, LOCAL_HEADER_SIZE + name.length);
  return out;
}

/**
 * The central directory and the end-of-central-directory records (zip64 ones when the archive needs them),
 * written at `plan.directoryOffset`. `crcs` are the records' CRC-32s, in order.
 */
export function centralDirectory(plan: ZipPlan, crcs: readonly number[]): Uint8Array {
  const threshold = plan.zip64Threshold;
  const entries = plan.records.map((record, i) => {
    const name = encodeUtf8(record.name);
    const bigSize = record.wideSize;
    const bigOffset = record.headerOffset >= threshold;
    const wide = [...(bigSize ? [record.size, record.size] : []), ...(bigOffset ? [record.headerOffset] : [])];
    const extra = wide.length > 0 ? zip64Extra(wide) : new Uint8Array(0);
    const out = new Uint8Array(CENTRAL_HEADER_SIZE + name.length + extra.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, 0x02014b50, true);
    view.setUint16(4, wide.length > 0 ? 45 : 20, true); // version made by
    view.setUint16(6, wide.length > 0 ? 45 : 20, true); // version needed
    view.setUint16(8, FLAG_UTF8, true);
    view.setUint16(10, 0, true);
    view.setUint16(12, 0, true);
    view.setUint16(14, 0x21, true);
    view.setUint32(16, crcs[i], true);
    view.setUint32(20, bigSize ? U32_MAX : record.size, true);
    view.setUint32(24, bigSize ? U32_MAX : record.size, true);
    view.setUint16(28, name.length, true);
    view.setUint16(30, extra.length, true);
    // comment length, disk number, internal and external attributes stay 0
    view.setUint32(42, bigOffset ? U32_MAX : record.headerOffset, true);
    out.set(name, CENTRAL_HEADER_SIZE);
    out.set(extra, CENTRAL_HEADER_SIZE + name.length);
    return out;
  });
  const directorySize = entries.reduce((n, e) => n + e.length, 0);
  const count = entries.length;
  const zip64 = count >= Math.min(U16_MAX, threshold) || plan.directoryOffset >= threshold || directorySize >= threshold;
  const tailSize = (zip64 ? 56 + 20 : 0) + 22;
  const out = new Uint8Array(directorySize + tailSize);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const entry of entries) {
    out.set(entry, at);
    at += entry.length;
  }
  if (zip64) {
    const recordOffset = plan.directoryOffset + directorySize;
    view.setUint32(at, 0x06064b50, true); // zip64 end of central directory record
    view.setBigUint64(at + 4, 44n, true); // its size after this field
    view.setUint16(at + 12, 45, true);
    view.setUint16(at + 14, 45, true);
    view.setBigUint64(at + 24, BigInt(count), true);
    view.setBigUint64(at + 32, BigInt(count), true);
    view.setBigUint64(at + 40, BigInt(directorySize), true);
    view.setBigUint64(at + 48, BigInt(plan.directoryOffset), true);
    at += 56;
    view.setUint32(at, 0x07064b50, true); // zip64 end of central directory locator
    view.setBigUint64(at + 8, BigInt(recordOffset), true);
    view.setUint32(at + 16, 1, true); // total number of disks
    at += 20;
  }
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, zip64 ? U16_MAX : count, true);
  view.setUint16(at + 10, zip64 ? U16_MAX : count, true);
  view.setUint32(at + 12, zip64 ? U32_MAX : directorySize, true);
  view.setUint32(at + 16, zip64 ? U32_MAX : plan.directoryOffset, true);
  return out;
}
