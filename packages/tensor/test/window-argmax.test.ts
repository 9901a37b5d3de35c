import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { composedWindowArgmax } from '../src/ops/window-argmax.js';

/** A deterministic stream, so a failure reproduces. */
function stream(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

describe('windowArgmax (max pooling winners)', () => {
  it('picks the index entry at the first largest read, NaN largest', () => {
    const x = torch.tensor([[1, 5, 5, NaN, 2, 0], [3, 3, 3, 3, -Infinity, 7]]);
    const index = torch.tensor([[0, 1, 2, 4, 3, 5, 4, 4, 0]], { dtype: 'int64' });
    // Row 0 windows read [1, 5, 5] -> entry 1; [2, NaN, 0] -> entry 3; [2, 2, 1] -> entry 4.
    // Row 1 windows read [3, 3, 3] -> entry 0; [-inf, 3, 7] -> entry 5; [-inf, -inf, 3] -> entry 0.
    expect(torch.windowArgmax(x, index, 3).tolist()).toEqual([[1, 3, 4], [0, 5, 0]]);
  });

  it('the composed path (backends without the kernel) gives the fused kernel\'s winners', () => {
    const next = stream(5);
    const pick = () => {
      const r = next();
      return r < 0.05 ? NaN : r < 0.1 ? -Infinity : Math.floor(next() * 5) - 2;
    };
    for (const [rows, width, windows, window] of [[4, 9, 6, 4], [3, 20, 7, 3], [2, 5, 5, 1]]) {
      const x = torch.tensor(Array.from({ length: rows * width }, pick), { dtype: 'float32' }).reshape(rows, width);
      const shared = torch.tensor(Array.from({ length: windows * window }, () => Math.floor(next() * width)), { dtype: 'int64' }).reshape(1, -1);
      const perRow = torch.tensor(Array.from({ length: rows * windows * window }, () => Math.floor(next() * width)), { dtype: 'int32' }).reshape(rows, -1);
      expect(composedWindowArgmax(x, shared.expand(rows, -1), window).tolist()).toEqual(torch.windowArgmax(x, shared, window).tolist());
      expect(composedWindowArgmax(x, perRow, window).tolist()).toEqual(torch.windowArgmax(x, perRow, window).tolist());
    }
  });

  it('says what is wrong with its arguments', () => {
    const x = torch.zeros(2, 4);
    expect(() => torch.windowArgmax(x, torch.zeros(1, 6, { dtype: 'int64' }), 4)).toThrow('window 4 must be a positive divisor');
    expect(() => torch.windowArgmax(x, torch.zeros(3, 4, { dtype: 'int64' }), 2)).toThrow("index has 3 rows for x's 2");
    expect(() => torch.windowArgmax(x, torch.zeros(1, 4), 2)).toThrow('int64 or int32 index, got float32');
    expect(() => torch.windowArgmax(x, torch.full([1, 4], 9, { dtype: 'int64' }), 2)).toThrow('out of bounds');
  });
});
