import { DTYPES, numelOf, type DType } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, integers } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { castReference } from '../reference.js';
import type { ConformanceCase, PrimitiveSuite } from './case.js';

/** Inputs per source dtype; float to int32 only uses values whose truncation fits (NaN and overflow are undefined). */
const CAST_INPUTS: Record<DType, Record<DType, readonly number[]>> = {
  float32: {
    float32: [-2.75, -0, 0.1, NaN, Infinity, -Infinity, 3.4028234663852886e38],
    int32: [-2.75, -0.5, -0, 0, 0.4, 1, 2.5, 100.9, -100.9, 16777217, 2147483520, -2147483648],
    bool: [-2.75, -0, 0, 0.4, 1e-30, NaN, Infinity, -Infinity],
  },
  int32: {
    float32: [INT32_MIN, -7, -1, 0, 1, 16777217, 16777219, INT32_MAX],
    int32: [INT32_MIN, -7, 0, INT32_MAX],
    bool: [INT32_MIN, -7, -1, 0, 1, 256, INT32_MAX],
  },
  bool: {
    float32: [0, 1, 1, 0],
    int32: [0, 1, 1, 0],
    bool: [0, 1, 1, 0],
  },
};

function castCase(title: string[], x: StridedSpec, to: DType): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('cast', (b) => b.cast(h.input(x), to));
      const values = castReference(logical(x), to);
      await h.expectBuffer(`cast(${x.dtype} -> ${to})`, out, { dtype: to, shape: x.view.shape, values, kind: 'exact' });
    },
  };
}

const castCases = (): ConformanceCase[] => [
  ...DTYPES.flatMap((from) =>
    DTYPES.map((to) => {
      const values = CAST_INPUTS[from][to];
      return castCase([`${from} to ${to}`], contiguous(from, values, [values.length]), to);
    }),
  ),
  castCase(['views', 'transposed float32 to int32'], strided('float32', dyadic(12, 2), [3, 4], { order: [1, 0], offset: 2 }), 'int32'),
  castCase(['views', 'stepped int32 to float32'], strided('int32', integers(12, -1000, 1000, 4), [2, 6], { step: 2, offset: 1 }), 'float32'),
  castCase(['views', 'broadcast bool to float32'], broadcast('bool', [1, 0, 1], [3, 1], [3, 4], 1), 'float32'),
  castCase(['views', 'rank 4 permuted float32 to bool'], strided('float32', dyadic(36, 6), [3, 1, 2, 6], { order: [3, 1, 0, 2], offset: 1 }), 'bool'),
  castCase(['views', '0-d int32 to float32'], strided('int32', [-5], [], { offset: 2 }), 'float32'),
  castCase(['views', 'empty float32 to int32'], contiguous('float32', [], [3, 0]), 'int32'),
  castCase(['views', 'bool with gaps to int32'], strided('bool', booleans(8, 9), [8], { step: 3 }), 'int32'),
];

export const castSuite: PrimitiveSuite = {
  primitive: 'cast',
  probeUses: ['upload'],
  probe: async (h) => {
    const out = h.kernel('cast', (b) => b.cast(h.input(contiguous('float32', [1], [1])), 'int32'));
    await h.read(out, 'int32', numelOf([1]));
  },
  cases: castCases,
};
