// The zip store torch.save writes: layout (64-byte alignment, zip64), and a reader that refuses broken archives.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../src/serialization/checkpoint-error.js';
import { crc32 } from '../src/serialization/crc32.js';
import { bytesSource, ZipArchive } from '../src/serialization/zip-reader.js';
import { centralDirectory, localHeader, planZip, ZIP_ALIGNMENT } from '../src/serialization/zip-writer.js';

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'torch');

/** A whole archive in memory, written as torch-checkpoint.ts streams it. */
function buildZip(records: { name: string; data: Uint8Array }[], zip64Threshold?: number): Uint8Array {
  const plan = planZip(records.map((r) => ({ name: r.name, size: r.data.length })), zip64Threshold);
  const crcs = records.map((r) => crc32(r.data));
  const directory = centralDirectory(plan, crcs);
  const out = new Uint8Array(plan.directoryOffset + directory.length);
  plan.records.forEach((record, i) => {
    out.set(records[i].data, record.dataOffset);
    out.set(localHeader(record, crcs[i]), record.headerOffset);
  });
  out.set(directory, plan.directoryOffset);
  return out;
}

const text = (s: string) => new TextEncoder().encode(s);
const sample = [
  { name: 'm/data.pkl', data: text('pickle bytes') },
  { name: 'm/data/0', data: new Uint8Array(100).map((_, i) => i) },
  { name: 'm/data/1', data: new Uint8Array(0) },
  { name: 'm/caf\u00e9', data: text('3\n') },
];

async function entries(bytes: Uint8Array): Promise<Record<string, number[]>> {
  const archive = await ZipArchive.open(bytesSource(bytes), 'test.pt');
  const out: Record<string, number[]> = {};
  for (const entry of archive.entries.values()) out[entry.name] = Array.from(await archive.read(entry, crc32));
  return out;
}

describe('crc32', () => {
  it('matches zlib on every length and alignment', () => {
    const data = new Uint8Array(1000).map((_, i) => (i * 7919) & 0xff);
    for (const [start, end] of [[0, 0], [0, 1], [3, 11], [1, 1000], [0, 999]]) {
      expect(crc32(data.subarray(start, end))).toBe(zlibCrc32(data.subarray(start, end)));
    }
    expect(crc32(data.subarray(500), crc32(data.subarray(0, 500)))).toBe(zlibCrc32(data));
  });
});

describe('zip writer', () => {
  it('aligns every record to 64 bytes and round-trips', async () => {
    const plan = planZip(sample.map((r) => ({ name: r.name, size: r.data.length })));
    for (const record of plan.records) expect(record.dataOffset % ZIP_ALIGNMENT).toBe(0);
    const bytes = buildZip(sample);
    expect(await entries(bytes)).toEqual(Object.fromEntries(sample.map((r) => [r.name, Array.from(r.data)])));
  });

  it('writes zip64 fields past the threshold, which the reader follows', async () => {
    const bytes = buildZip(sample, 0); // every size and offset "large"
    const view = new DataView(bytes.buffer);
    const eocd = bytes.length - 22;
    expect(view.getUint32(eocd, true)).toBe(0x06054b50);
    expect(view.getUint32(eocd + 16, true)).toBe(0xffffffff);
    expect(view.getUint32(eocd - 20, true)).toBe(0x07064b50);
    expect(await entries(bytes)).toEqual(Object.fromEntries(sample.map((r) => [r.name, Array.from(r.data)])));
  });

  it('refuses two records with one name', () => {
    expect(() => planZip([{ name: 'a', size: 1 }, { name: 'a', size: 2 }])).toThrow('two records are named "a"');
  });

  it('reads what PyTorch 1.13 writes (data descriptors, FB padding)', async () => {
    const archive = await ZipArchive.open(bytesSource(readFileSync(join(fixtureDir, 'dtypes.pt'))), 'dtypes.pt');
    expect([...archive.entries.keys()].slice(0, 2)).toEqual(['dtypes/data.pkl', 'dtypes/data/0']);
    expect(new TextDecoder().decode(await archive.read(archive.entries.get('dtypes/version')!, crc32))).toBe('3\n');
  });
});

describe('zip reader: broken archives', () => {
  const good = buildZip(sample);
  const reject = async (bytes: Uint8Array, message: string) => {
    const run = async () => entries(bytes);
    await expect(run()).rejects.toThrow(CheckpointError);
    await expect(run()).rejects.toThrow(message);
  };

  it('truncated anywhere', async () => {
    await reject(good.subarray(0, 10), 'too short for a zip archive');
    for (const cut of [good.length - 1, good.length - 30, 200]) {
      await reject(good.subarray(0, cut), 'test.pt: ');
    }
    await reject(good.subarray(0, good.length - 1), 'end-of-central-directory record is missing');
  });

  it('a directory that points past the end', async () => {
    const bad = good.slice();
    const view = new DataView(bad.buffer);
    view.setUint32(bad.length - 22 + 16, bad.length, true); // central directory offset
    await reject(bad, 'the central directory (bytes');
  });

  it('an entry whose data runs past the end of the data', async () => {
    const bad = good.slice();
    const view = new DataView(bad.buffer);
    const directory = view.getUint32(bad.length - 22 + 16, true);
    const second = directory + 46 + 'm/data.pkl'.length; // the second directory entry (no extra fields)
    view.setUint32(second + 20, 1e6, true);
    view.setUint32(second + 24, 1e6, true);
    await reject(bad, 'record "m/data/0" points past the end of the data');
    view.setUint32(second + 42, directory, true); // its local header offset
    await reject(bad, 'entry "m/data/0" points past the end of the data');
  });

  it('records that overlap (a small file asking for its bytes many times) are refused', async () => {
    const big = { name: 'm/data/0', data: new Uint8Array(1000) };
    const tiny = ['m/data/1', 'm/data/2', 'm/data/3', 'm/data/4'].map((name) => ({ name, data: new Uint8Array(1) }));
    const bytes = buildZip([big, ...tiny]);
    const view = new DataView(bytes.buffer);
    let at = view.getUint32(bytes.length - 22 + 16, true);
    for (let i = 0; i < 5; i++) {
      if (i > 0) {
        view.setUint32(at + 20, 1000, true); // compressed and uncompressed sizes: the big record's
        view.setUint32(at + 24, 1000, true);
        view.setUint32(at + 42, 0, true); // local header: the big record's
      }
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    }
    await expect(ZipArchive.open(bytesSource(bytes), 'test.pt')).rejects.toThrow(/its records claim 5000 bytes, more than the \d+ bytes of data \(they overlap\)/);
  });

  it('a damaged record fails its CRC check', async () => {
    const bad = good.slice();
    const plan = planZip(sample.map((r) => ({ name: r.name, size: r.data.length })));
    bad[plan.records[1].dataOffset + 5] ^= 1;
    await reject(bad, 'record "m/data/0" fails its CRC-32 check');
  });

  it('compressed or encrypted entries say what to do', async () => {
    const bad = good.slice();
    const view = new DataView(bad.buffer);
    const directory = view.getUint32(bad.length - 22 + 16, true);
    view.setUint16(directory + 10, 8, true); // deflate
    await reject(bad, 'zip entry "m/data.pkl" is compressed (method 8)');
    view.setUint16(directory + 10, 0, true);
    view.setUint16(directory + 8, 1, true);
    await reject(bad, 'entry "m/data.pkl" is encrypted');
  });

  it('a directory claiming more entries than it can hold', async () => {
    const bad = good.slice();
    new DataView(bad.buffer).setUint16(bad.length - 22 + 10, 5000, true);
    await reject(bad, 'claims 5000 entries');
  });
});
