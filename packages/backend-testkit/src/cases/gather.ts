import { numelOf } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, integers, reals, TWO53 } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { gatherReference } from '../reference.js';
import { BEYOND_32_BITS, type ConformanceCase, type PrimitiveSuite } from './case.js';
import { indexShapeFor, indices, INDEXED_SHAPES } from './index-shapes.js';

function gatherCase(title: string[], x: StridedSpec, dim: number, index: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('gather', (b) => b.gather(h.input(x), dim, h.input(index)));
      await h.expectBuffer(`gather along dim ${dim} (${x.dtype})`, out, {
        dtype: x.dtype,
        shape: index.view.shape,
        values: gatherReference(logical(x), x.view.shape, dim, logical(index), index.view.shape),
        kind: 'exact',
      });
    },
  };
}

function alongEveryDim(): ConformanceCase[] {
  return INDEXED_SHAPES.flatMap((shape, rank) =>
    shape.map((size, dim) => {
      const indexShape = indexShapeFor(shape, dim);
      const x = contiguous('float32', reals(numelOf(shape), 100 + rank), shape);
      // PyTorch's index dtype is int64; int32 indices are accepted too (odd ranks use them).
      const index = contiguous(rank % 2 === 0 ? 'int64' : 'int32', indices(numelOf(indexShape), size, 110 + dim), indexShape);
      return gatherCase([`rank ${shape.length}`, `dim ${dim}`], x, dim, index);
    }),
  );
}

const gatherCases = (): ConformanceCase[] => [
  ...alongEveryDim(),
  gatherCase(['int32'], contiguous('int32', [INT32_MIN, 7, INT32_MAX, -1], [4]), 0, contiguous('int32', [2, 0, 0, 3, 1], [5])),
  gatherCase(['int64'], contiguous('int64', [INT32_MIN, 7, INT32_MAX, -1], [4]), 0, contiguous('int64', [2, 0, 0, 3, 1], [5])),
  gatherCase([`int64 ${BEYOND_32_BITS}`], contiguous('int64', [INT64_MIN, TWO53 + 1n, INT64_MAX, -(2n ** 32n)], [4]), 0, contiguous('int64', [2, 0, 1, 3, 1], [5])),
  gatherCase(['float64'], contiguous('float64', [0.1, 1 + 2 ** -52, NaN, -Infinity, 5e-324], [5]), 0, contiguous('int64', [1, 4, 0, 2, 3, 1], [6])),
  gatherCase(['int16'], contiguous('int16', [-32768, 7, 32767, -1], [2, 2]), 1, contiguous('int64', [1, 1, 0, 1], [2, 2])),
  gatherCase(['int8'], contiguous('int8', [-128, 7, 127, -1], [4]), 0, contiguous('int32', [3, 2, 1, 0, 0], [5])),
  gatherCase(['uint8'], contiguous('uint8', [0, 255, 128, 1], [4]), 0, contiguous('int64', [1, 2, 3, 0], [4])),
  gatherCase(
    ['views', 'int64 x transposed, int64 index stepped'],
    strided('int64', integers(12, -1e6, 1e6, 130).map((v) => BigInt(v)), [3, 4], { order: [1, 0], offset: 1 }),
    1,
    strided('int64', indices(6, 4, 131), [3, 2], { step: 2, offset: 3 }),
  ),
  gatherCase(['bool'], contiguous('bool', booleans(6, 120), [2, 3]), 1, contiguous('int32', [2, 2, 0, 1, 0, 2], [2, 3])),
  gatherCase(['float32 NaN and infinity'], contiguous('float32', [NaN, Infinity, -0, -Infinity], [4]), 0, contiguous('int32', [3, 0, 1, 2], [4])),
  gatherCase(
    ['views', 'transposed x and stepped index at offsets'],
    strided('float32', dyadic(12, 121), [3, 4], { order: [1, 0], offset: 2 }),
    1,
    strided('int32', indices(6, 4, 122), [3, 2], { step: 2, offset: 1 }),
  ),
  gatherCase(
    ['views', 'transposed index'],
    strided('float32', dyadic(24, 123), [2, 3, 4], { offset: 1 }),
    0,
    strided('int32', indices(24, 2, 124), [2, 3, 4], { order: [2, 1, 0] }),
  ),
  gatherCase(['views', 'broadcast x (stride 0)'], broadcast('int32', [5, 6, 7], [1, 3], [4, 3], 1), 1, contiguous('int32', [2, 1, 0, 0, 2, 1, 1, 1], [4, 2])),
  gatherCase(['views', 'broadcast index (stride 0)'], contiguous('float32', dyadic(12, 125), [3, 4]), 1, broadcast('int32', [3, 0], [1, 2], [3, 2], 2)),
  gatherCase(['views', 'rank 4 permuted x'], strided('float32', dyadic(36, 126), [2, 3, 2, 3], { order: [3, 1, 0, 2], offset: 2 }), 2, contiguous('int32', indices(36, 2, 127), [2, 3, 2, 3])),
  gatherCase(['empty index'], contiguous('float32', dyadic(8, 128), [2, 4]), 1, contiguous('int32', [], [2, 0])),
  gatherCase(['a 1 x 1 index into a larger x'], contiguous('float32', dyadic(12, 129), [3, 4]), 0, contiguous('int32', [2], [1, 1])),
];

export const gatherSuite: PrimitiveSuite = {
  primitive: 'gather',
  probeUses: ['upload'],
  probe: async (h) => {
    const out = h.kernel('gather', (b) => b.gather(h.input(contiguous('float32', [3], [1])), 0, h.input(contiguous('int32', [0], [1]))));
    await h.read(out, 'float32', 1);
  },
  cases: gatherCases,
};
