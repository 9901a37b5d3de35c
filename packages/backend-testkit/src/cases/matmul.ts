import type { DType } from '@descent/backend';
import { dyadic, integers, reals } from '../data.js';
import { broadcast, contiguous, logical, strided, type LayoutOptions, type StridedSpec } from '../layouts.js';
import { matmulReference } from '../reference.js';
import type { ConformanceCase, PrimitiveSuite } from './case.js';

function matmulCase(title: string[], a: StridedSpec, b: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('matmul', (backend) => backend.matmul(h.input(a), h.input(b)));
      const [batch, m] = a.view.shape;
      const n = b.view.shape[2];
      const values = matmulReference(a.dtype, logical(a), logical(b), a.view.shape, n);
      // The rounding error of a dot product scales with the sum of its absolute terms.
      const scale = matmulReference(a.dtype, logical(a).map(Math.abs), logical(b).map(Math.abs), a.view.shape, n);
      await h.expectBuffer(`matmul (${a.dtype})`, out, {
        dtype: a.dtype,
        shape: [batch, m, n],
        values,
        kind: a.dtype === 'float32' ? 'reduction' : 'exact',
        scale: a.dtype === 'float32' ? scale : undefined,
      });
    },
  };
}

type Values = (count: number, seed: number) => number[];

/** An operand of logical `shape` with values from `values`, stored as `options` say. */
function operand(dtype: DType, values: Values, shape: number[], seed: number, options: LayoutOptions = {}): StridedSpec {
  return strided(dtype, values(shape.reduce((x, y) => x * y, 1), seed), shape, options);
}

const f = (shape: number[], seed: number, options: LayoutOptions = {}) => operand('float32', dyadic, shape, seed, options);
/** Memory order that stores each matrix of a batch transposed. */
const TRANSPOSED = { order: [0, 2, 1] };
const INF = Infinity;

const matmulCases = (): ConformanceCase[] => [
  matmulCase(['float32'], f([1, 2, 3], 71), f([1, 3, 4], 72)),
  matmulCase(['int32'], operand('int32', (n, s) => integers(n, -20, 20, s), [2, 3, 2], 73), operand('int32', (n, s) => integers(n, -20, 20, s), [2, 2, 3], 74)),
  matmulCase(
    ['int32 wraps around'],
    // INT32_MAX^2 + INT32_MAX^2 is beyond 2^53: a double accumulator loses the low bits the wrapped result keeps.
    contiguous('int32', [50000, 50000, 46341, -46341, 2147483647, 2147483647], [1, 3, 2]),
    contiguous('int32', [50000, 2147483647, 50000, 2147483647], [1, 2, 2]),
  ),
  matmulCase(['1 x 1 x 1'], contiguous('float32', [-1.5], [1, 1, 1]), contiguous('float32', [4], [1, 1, 1])),
  matmulCase(['views', 'b broadcast over the batch (stride 0)'], f([3, 2, 4], 75), broadcast('float32', dyadic(20, 76), [1, 4, 5], [3, 4, 5], 2)),
  matmulCase(['views', 'a broadcast over the batch (stride 0)'], broadcast('float32', dyadic(8, 77), [2, 4], [3, 2, 4], 1), f([3, 4, 5], 78)),
  matmulCase(['views', 'a transposed'], f([2, 3, 4], 79, TRANSPOSED), f([2, 4, 2], 80)),
  matmulCase(['views', 'b transposed'], f([2, 3, 4], 81), f([2, 4, 2], 82, TRANSPOSED)),
  matmulCase(['views', 'both transposed, at offsets'], f([2, 3, 4], 83, { ...TRANSPOSED, offset: 3 }), f([2, 4, 5], 84, { ...TRANSPOSED, offset: 1 })),
  matmulCase(['views', 'batch dim innermost in memory'], f([3, 2, 4], 85, { order: [1, 2, 0] }), f([3, 4, 2], 86, { order: [2, 1, 0] })),
  matmulCase(['views', 'stepped rows and columns'], f([2, 3, 4], 87, { step: 2, offset: 1 }), f([2, 4, 3], 88, { step: 2 })),
  matmulCase(['empty', 'k = 0 gives zeros'], contiguous('float32', [], [2, 3, 0]), contiguous('float32', [], [2, 0, 4])),
  matmulCase(['empty', 'm = 0'], contiguous('float32', [], [2, 0, 3]), f([2, 3, 4], 89)),
  matmulCase(['empty', 'n = 0'], f([2, 2, 3], 90), contiguous('float32', [], [2, 3, 0])),
  matmulCase(['empty', 'batch = 0'], contiguous('float32', [], [0, 2, 3]), contiguous('float32', [], [0, 3, 4])),
  matmulCase(
    ['NaN and infinity propagate'],
    contiguous('float32', [1, NaN, 1, 2, INF, 1, -INF, 1], [1, 4, 2]),
    contiguous('float32', [1, 2, 3, -1], [1, 2, 2]),
  ),
  matmulCase(['sizes off tile boundaries', '2 x 33 x 17 x 65'], operand('float32', reals, [2, 33, 17], 91), operand('float32', reals, [2, 17, 65], 92)),
  matmulCase(['sizes off tile boundaries', 'k = 1031'], operand('float32', reals, [1, 3, 1031], 93), operand('float32', reals, [1, 1031, 2], 94, TRANSPOSED)),
];

export const matmulSuite: PrimitiveSuite = {
  primitive: 'matmul',
  probeUses: ['upload'],
  probe: async (h) => {
    const x = contiguous('float32', [2], [1, 1, 1]);
    const out = h.kernel('matmul', (b) => b.matmul(h.input(x), h.input(x)));
    await h.read(out, 'float32', 1);
  },
  cases: matmulCases,
};
