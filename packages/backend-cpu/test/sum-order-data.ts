/**
 * The test data of fixtures/gen_sum_order.py: element i of seed s is MurmurHash3's fmix32 of i + s * 0x9E3779B9,
 * whose top 24 bits k give k / 2^24 ("pos", in [0, 1)) or (k - 2^23) / 2^23 ("signed", in [-1, 1)): exact floats.
 */
export function hashData(n: number, seed: number, kind: 'pos' | 'signed', out: Float32Array | Float64Array): void {
  const start = Math.imul(seed, 0x9e3779b9) >>> 0;
  for (let i = 0; i < n; i++) {
    let h = (start + i) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    const k = h >>> 8;
    out[i] = kind === 'pos' ? k / 2 ** 24 : (k - 2 ** 23) / 2 ** 23;
  }
}

/** Bit patterns as the fixture writes them: 8 hex digits per float32, 16 per float64, concatenated. */
export function hexBits(values: Float32Array | Float64Array): string {
  if (values instanceof Float64Array) {
    const words = new BigUint64Array(values.buffer, values.byteOffset, values.length);
    return Array.from(words, (w) => w.toString(16).padStart(16, '0')).join('');
  }
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  return Array.from(words, (w) => w.toString(16).padStart(8, '0')).join('');
}
