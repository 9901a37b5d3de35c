/**
 * CRC-32 (the IEEE polynomial zip uses), browser-safe. Zip readers, PyTorch's included, check every record's CRC,
 * so the writer needs it and the reader verifies it. Slicing-by-8 keeps multi-gigabyte checkpoints bearable in
 * plain JavaScript; Node passes its native `zlib.crc32` instead where it has one.
 */

/** Updates a running CRC (start from 0) with more bytes. */
export type Crc32 = (bytes: Uint8Array, previous?: number) => number;

const TABLES = (() => {
  const tables = new Uint32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let t = 1; t < 8; t++) tables[t * 256 + n] = (tables[(t - 1) * 256 + n] >>> 8) ^ tables[tables[(t - 1) * 256 + n] & 0xff];
  }
  return tables;
})();

export const crc32: Crc32 = (bytes, previous = 0) => {
  const t = TABLES;
  let crc = ~previous;
  let i = 0;
  const end8 = bytes.length - (bytes.length % 8);
  for (; i < end8; i += 8) {
    const a = (crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24))) >>> 0;
    crc =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + bytes[i + 4]] ^
      t[512 + bytes[i + 5]] ^
      t[256 + bytes[i + 6]] ^
      t[bytes[i + 7]];
  }
  for (; i < bytes.length; i++) crc = t[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
};
