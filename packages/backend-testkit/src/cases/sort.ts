/**
 * Cases for the optional `argsort`: stable int64 indices along the last axis, ascending and descending, NaN as the
 * largest value (PyTorch's sort order), on float32, float64, int32 and int64 rows, contiguous and strided views.
 */
import type { DType } from '@descent/backend';
import { integers, reals } from '../data.js';
import { logicalNumbers, strided, reversedOrder, type StridedSpec } from '../layouts.js';
import type { ConformanceCase } from './case.js';

/** The reference: positions sorted by value (NaN last), ties by position, per row of the last axis. */
export function argsortReference(values: readonly number[], rowLength: number, descending: boolean): number[] {
  const out: number[] = [];
  const rank = (v: number) => (Number.isNaN(v) ? Infinity : v);
  for (let base = 0; base < values.length; base += rowLength) {
    const order = Array.from({ length: rowLength }, (_, i) => i);
    order.sort((a, b) => {
      const x = values[base + a];
      const y = values[base + b];
      const xNaN = Number.isNaN(x);
      const yNaN = Number.isNaN(y);
      let c = xNaN || yNaN ? (xNaN === yNaN ? 0 : xNaN ? 1 : -1) : rank(x) < rank(y) ? -1 : rank(x) > rank(y) ? 1 : 0;
      if (descending) c = -c;
      return c || a - b;
    });
    out.push(...order);
  }
  return out;
}

function argsortCase(title: string[], x: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const shape = x.view.shape;
      const rowLength = shape[shape.length - 1];
      for (const descending of [false, true]) {
        const out = h.optional('argsort', (b) => b.argsort(h.input(x), descending));
        await h.expectBuffer(descending ? 'descending' : 'ascending', out, {
          dtype: 'int64',
          shape,
          values: argsortReference(logicalNumbers(x), rowLength, descending).map((v) => BigInt(v)),
          kind: 'exact',
        });
      }
    },
  };
}

/** Values with ties, so stability shows. */
const tied = (count: number, seed: number): number[] => integers(count, -3, 3, seed);

export const argsortCases = (): ConformanceCase[] => {
  const cases: [string, DType, number[], number[]][] = [
    ['float32 rows', 'float32', reals(3 * 7, 700), [3, 7]],
    ['float32 ties', 'float32', tied(4 * 9, 701), [4, 9]],
    ['float32 NaN and infinities', 'float32', [NaN, 1, -Infinity, NaN, Infinity, 0, -0, 2], [2, 4]],
    ['float64 one row', 'float64', reals(33, 702), [33]],
    ['int32 ties', 'int32', tied(2 * 3 * 5, 703), [2, 3, 5]],
    ['int64', 'int64', integers(2 * 6, -1000, 1000, 704), [2, 6]],
    ['length 1 rows', 'float32', reals(4, 705), [4, 1]],
    ['empty', 'float32', [], [0, 3]],
  ];
  return [
    ...cases.map(([name, dtype, values, shape]) => argsortCase([name], strided(dtype, values, shape))),
    argsortCase(['float32 transposed view'], strided('float32', reals(5 * 6, 706), [5, 6], { order: reversedOrder(2) })),
  ];
};
