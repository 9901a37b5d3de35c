import { numelOf } from '@descent/backend';
import { dyadic, INT32_MAX, INT64_MAX, integers, TWO53 } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { isFloatDType, scatterAddReference } from '../reference.js';
import { BEYOND_32_BITS, type ConformanceCase, type PrimitiveSuite } from './case.js';
import { indexShapeFor, indices, INDEXED_SHAPES } from './index-shapes.js';

function scatterAddCase(title: string[], shape: readonly number[], dim: number, index: StridedSpec, src: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('scatterAdd', (b) => b.scatterAdd(shape, dim, h.input(index), h.input(src)));
      const values = scatterAddReference(src.dtype, shape, dim, logical(index), index.view.shape, logical(src));
      const isFloat = isFloatDType(src.dtype);
      const abs = logical(src).map((v) => Math.abs(Number(v)));
      const scale = isFloat ? scatterAddReference('float64', shape, dim, logical(index), index.view.shape, abs).map(Number) : undefined;
      await h.expectBuffer(`scatterAdd along dim ${dim} (${src.dtype})`, out, {
        dtype: src.dtype,
        shape,
        values,
        kind: isFloat ? 'reduction' : 'exact',
        scale,
      });
    },
  };
}

function alongEveryDim(): ConformanceCase[] {
  return INDEXED_SHAPES.flatMap((shape, rank) =>
    shape.map((size, dim) => {
      const indexShape = indexShapeFor(shape, dim);
      const count = numelOf(indexShape);
      const index = contiguous(rank % 2 === 0 ? 'int64' : 'int32', indices(count, size, 130 + dim), indexShape);
      return scatterAddCase([`rank ${shape.length}`, `dim ${dim}`], shape, dim, index, contiguous('float32', dyadic(count, 140 + rank), indexShape));
    }),
  );
}

const scatterAddCases = (): ConformanceCase[] => [
  ...alongEveryDim(),
  scatterAddCase(
    ['int32 duplicates wrap around'],
    [3],
    0,
    contiguous('int32', [1, 1, 1, 0, 2], [5]),
    contiguous('int32', [INT32_MAX, INT32_MAX, 5, -4, 9], [5]),
  ),
  scatterAddCase(['int64'], [3], 0, contiguous('int64', [1, 1, 1, 0, 2], [5]), contiguous('int64', [INT32_MAX, -5, 5, -4, 9], [5])),
  scatterAddCase(
    [`int64 ${BEYOND_32_BITS} duplicates wrap around`],
    [3],
    0,
    contiguous('int64', [1, 1, 1, 0, 2, 2], [6]),
    contiguous('int64', [INT64_MAX, 1n, 2n ** 32n, TWO53, 2n ** 32n - 1n, 1n], [6]),
  ),
  scatterAddCase(['int16 duplicates wrap around'], [2], 0, contiguous('int64', [0, 0, 1], [3]), contiguous('int16', [32767, 1, -5], [3])),
  scatterAddCase(['int8 duplicates wrap around'], [2], 0, contiguous('int64', [1, 1, 0], [3]), contiguous('int8', [-128, -1, 7], [3])),
  scatterAddCase(['uint8 duplicates wrap around'], [2], 0, contiguous('int64', [0, 0, 1], [3]), contiguous('uint8', [200, 100, 5], [3])),
  scatterAddCase(['bool duplicates add as or'], [3], 0, contiguous('int64', [0, 0, 1, 2], [4]), contiguous('bool', [1, 1, 0, 0], [4])),
  scatterAddCase(['float64'], [2], 0, contiguous('int64', [0, 0, 1, 1], [4]), contiguous('float64', [1, 2 ** -52, 0.1, 0.2], [4])),
  scatterAddCase(
    ['views', 'int64 source transposed, index at an offset'],
    [3, 4],
    1,
    strided('int64', indices(12, 4, 155), [3, 4], { offset: 2 }),
    strided('int64', integers(12, -1e6, 1e6, 156), [3, 4], { order: [1, 0], offset: 1 }),
  ),
  scatterAddCase(['float32 NaN and infinity'], [3], 0, contiguous('int32', [0, 0, 1, 2, 2], [5]), contiguous('float32', [1, NaN, Infinity, Infinity, -Infinity], [5])),
  scatterAddCase(
    ['views', 'transposed index and stepped source at offsets'],
    [3, 4],
    0,
    strided('int32', indices(12, 3, 150), [4, 3], { order: [1, 0], offset: 1 }),
    strided('float32', dyadic(12, 151), [4, 3], { step: 2, offset: 2 }),
  ),
  scatterAddCase(['views', 'broadcast ones source: counting'], [4], 0, contiguous('int32', integers(20, 0, 3, 152), [20]), broadcast('int32', [1], [], [20], 1)),
  scatterAddCase(
    ['views', 'rank 3 permuted source along the last dim'],
    [2, 3, 4],
    2,
    contiguous('int32', indices(12, 4, 153), [2, 3, 2]),
    strided('float32', dyadic(12, 154), [2, 3, 2], { order: [2, 0, 1], offset: 3 }),
  ),
  scatterAddCase(['empty index gives zeros'], [2, 3], 1, contiguous('int32', [], [2, 0]), contiguous('float32', [], [2, 0])),
  scatterAddCase(['output larger than the index elsewhere'], [4, 5], 1, contiguous('int32', [4, 0, 4], [1, 3]), contiguous('float32', [1.5, 2, 3], [1, 3])),
];

export const scatterAddSuite: PrimitiveSuite = {
  primitive: 'scatterAdd',
  probeUses: ['upload'],
  probe: async (h) => {
    const out = h.kernel('scatterAdd', (b) =>
      b.scatterAdd([1], 0, h.input(contiguous('int32', [0], [1])), h.input(contiguous('float32', [2], [1]))),
    );
    await h.read(out, 'float32', 1);
  },
  cases: scatterAddCases,
};
