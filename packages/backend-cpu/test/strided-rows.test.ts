import { describe, expect, it } from 'vitest';
import { gatherStrided, scatterStrided } from '../src/strided.js';

/** Views whose rows are contiguous and long enough to move with one `set` each: the same elements as a plain loop. */
describe('strided copies of long contiguous rows', () => {
  const rows = 3;
  const width = 300;
  const rowStride = 310; // a narrowed view: rows 310 apart, 300 used
  const offset = 7;

  it('gathers each row of a view (float32 and int32)', () => {
    const kinds = [(n: number) => new Float32Array(n), (n: number) => new Int32Array(n)];
    for (const make of kinds) {
      const src = make(offset + rows * rowStride);
      src.forEach((_, i) => (src[i] = i * 3 - 100));
      const out = make(rows * width);
      gatherStrided(src, [rows, width], [rowStride, 1], offset, out);
      const expected = Array.from({ length: rows * width }, (_, i) => src[offset + Math.floor(i / width) * rowStride + (i % width)]);
      expect(Array.from(out)).toEqual(expected);
    }
  });

  it('scatters values through a view, leaving the gaps between rows untouched', () => {
    const dst = new Float32Array(offset + rows * rowStride).fill(-1);
    const values = Float32Array.from({ length: 5 + rows * width }, (_, i) => i);
    scatterStrided(values, 5, dst, [rows, width], [rowStride, 1], offset);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < width; j++) expect(dst[offset + r * rowStride + j]).toBe(5 + r * width + j);
      for (let j = width; j < rowStride && offset + r * rowStride + j < dst.length; j++) expect(dst[offset + r * rowStride + j]).toBe(-1);
    }
    expect(dst[offset - 1]).toBe(-1);
  });

  it('converts element by element when the types differ (a plain array of values)', () => {
    const dst = new Int32Array(rows * width);
    scatterStrided(Array.from({ length: rows * width }, (_, i) => i + 0.5), 0, dst, [rows, width], [width, 1], 0);
    expect(dst[0]).toBe(0);
    expect(dst[rows * width - 1]).toBe(rows * width - 1);
  });
});
