/**
 * Cases for the optional `windowArgmax` (max pooling's winners): each window's index entry whose element is the
 * first largest, NaN the largest (the first NaN winning), over float32 and float64 rows; int64 and int32 indices,
 * one index row broadcast to every row (as a pooling table is) or one per row; a strided `x`.
 */
import type { DType } from '@descent/backend';
import { integers, reals } from '../data.js';
import { broadcast, contiguous, logicalNumbers, strided, reversedOrder, type StridedSpec } from '../layouts.js';
import type { ConformanceCase } from './case.js';

/** The reference: per row and window, the index entry at the first largest (NaN first) of the elements it reads. */
export function windowArgmaxReference(x: readonly number[], width: number, index: readonly number[], indexRow: number, window: number): number[] {
  const rows = x.length / width;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = index.length === indexRow ? 0 : r;
    for (let w = 0; w < indexRow / window; w++) {
      let at = -1;
      for (let j = 0; j < window; j++) {
        const entry = index[row * indexRow + w * window + j];
        const v = x[r * width + entry];
        const best = at < 0 ? NaN : x[r * width + at];
        if (at < 0 || (!Number.isNaN(best) && (v > best || Number.isNaN(v)))) at = entry;
      }
      out.push(at);
    }
  }
  return out;
}

function windowArgmaxCase(title: string, x: StridedSpec, index: StridedSpec, window: number): ConformanceCase {
  return {
    title: [title],
    run: async (h) => {
      const [rows, width] = x.view.shape;
      const indexRow = index.view.shape[1];
      const broadcastRows = index.view.strides[0] === 0;
      const indexValues = logicalNumbers(index).slice(0, broadcastRows ? indexRow : undefined);
      const out = h.optional('windowArgmax', (b) => b.windowArgmax(h.input(x), h.input(index), window));
      const winners = windowArgmaxReference(logicalNumbers(x), width, indexValues, indexRow, window);
      await h.expectBuffer('winners', out, {
        dtype: index.dtype, // the winners come in the index's dtype
        shape: [rows, indexRow / window],
        values: index.dtype === 'int64' ? winners.map((v) => BigInt(v)) : winners,
        kind: 'exact',
      });
    },
  };
}

/** Ties (small integers), so "the first largest" shows. */
const tied = (count: number, seed: number): number[] => integers(count, -2, 2, seed);

export const windowArgmaxCases = (): ConformanceCase[] => {
  const table = (dtype: DType, rows: number, count: number, width: number, seed: number, perRow = false): StridedSpec => {
    const values = integers(count, 0, width - 1, seed);
    if (!perRow) return broadcast(dtype, values, [1, count], [rows, count]);
    return contiguous(dtype, integers(rows * count, 0, width - 1, seed), [rows, count]);
  };
  return [
    windowArgmaxCase('float32, broadcast int64 table, 2x2 windows', contiguous('float32', reals(3 * 16, 800), [3, 16]), table('int64', 3, 4 * 4, 16, 801), 4),
    windowArgmaxCase('float32 ties, int32 table per row', contiguous('float32', tied(4 * 10, 802), [4, 10]), table('int32', 4, 3 * 5, 10, 803, true), 5),
    windowArgmaxCase(
      'float32 NaN and infinities',
      contiguous('float32', [1, NaN, -Infinity, NaN, 3, Infinity, -0, 0], [1, 8]),
      contiguous('int64', [2, 0, 1, 3, 4, 5, 6, 7, 7, 6, 2, 2], [1, 12]),
      3,
    ),
    windowArgmaxCase('float64, windows of 1', contiguous('float64', reals(2 * 5, 804), [2, 5]), table('int64', 2, 6, 5, 805), 1),
    windowArgmaxCase('float32 transposed x', strided('float32', reals(6 * 7, 806), [6, 7], { order: reversedOrder(2) }), table('int64', 6, 9, 7, 807, true), 3),
  ];
};
