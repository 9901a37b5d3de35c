import { numelOf } from '@descent/backend';
import { dyadic, INT32_MAX, integers } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { scatterAddReference } from '../reference.js';
import type { ConformanceCase, PrimitiveSuite } from './case.js';
import { indexShapeFor, indices, INDEXED_SHAPES } from './index-shapes.js';

function scatterAddCase(title: string[], shape: readonly number[], dim: number, index: StridedSpec, src: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('scatterAdd', (b) => b.scatterAdd(shape, dim, h.input(index), h.input(src)));
      const values = scatterAddReference(src.dtype, shape, dim, logical(index), index.view.shape, logical(src));
      const isFloat = src.dtype === 'float32';
      const scale = isFloat
        ? scatterAddReference('float32', shape, dim, logical(index), index.view.shape, logical(src).map(Math.abs))
        : undefined;
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
      const index = contiguous('int32', indices(count, size, 130 + dim), indexShape);
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
