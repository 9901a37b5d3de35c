import type { DType } from '@descent/backend';
import { dyadic, INT64_MAX, INT64_MIN, integers, reals } from '../data.js';
import { broadcast, contiguous, logical, strided, type LayoutOptions, type StridedSpec } from '../layouts.js';
import { isFloatDType, matmulReference, type Value } from '../reference.js';
import { BEYOND_32_BITS, type ConformanceCase, type PrimitiveSuite } from './case.js';

function matmulCase(title: string[], a: StridedSpec, b: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('matmul', (backend) => backend.matmul(h.input(a), h.input(b)));
      const [batch, m] = a.view.shape;
      const n = b.view.shape[2];
      const values = matmulReference(a.dtype, logical(a), logical(b), a.view.shape, n);
      const float = isFloatDType(a.dtype);
      // The rounding error of a dot product scales with the sum of its absolute terms.
      const abs = (x: StridedSpec) => logical(x).map((v) => Math.abs(Number(v)));
      const scale = float ? matmulReference('float64', abs(a), abs(b), a.view.shape, n).map(Number) : undefined;
      await h.expectBuffer(`matmul (${a.dtype})`, out, {
        dtype: a.dtype,
        shape: [batch, m, n],
        values,
        kind: float ? 'reduction' : 'exact',
        scale,
      });
    },
  };
}

type Values = (count: number, seed: number) => Value[];

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
  // float64 keeps what float32 rounds away: 1 + 2^-40 squared.
  matmulCase(['float64'], operand('float64', (n, s) => dyadic(n, s).map((v) => v + 2 ** -40), [2, 3, 4], 95), operand('float64', reals, [2, 4, 2], 96)),
  matmulCase(['int64'], operand('int64', (n, s) => integers(n, -1000, 1000, s), [2, 3, 2], 97), operand('int64', (n, s) => integers(n, -1000, 1000, s), [2, 2, 3], 98)),
  matmulCase(
    [`int64 ${BEYOND_32_BITS}`],
    // Terms past 2^53 and sums past 2^63 wrap modulo 2^64, as int64_t arithmetic does.
    contiguous('int64', [2n ** 40n, 2n ** 40n, INT64_MAX, 1n, 94906267n, 3n, INT64_MIN, -1n], [2, 2, 2]),
    contiguous('int64', [2n ** 30n, 2n ** 30n + 1n, 2n, 1n, 94906267n, 5n, 2n ** 62n, 1n], [2, 2, 2]),
  ),
  matmulCase(
    ['int16 wraps around'],
    contiguous('int16', [300, 300, -32768, 1, 181, 181], [1, 3, 2]),
    contiguous('int16', [300, 7, 300, -1], [1, 2, 2]),
  ),
  matmulCase(['int8 wraps around'], contiguous('int8', [100, 100, 100, -128, 5, 1], [1, 2, 3]), contiguous('int8', [100, 100, 100, 1, -1, 3], [1, 3, 2])),
  matmulCase(['uint8 wraps around'], contiguous('uint8', [200, 200, 1, 255], [1, 2, 2]), contiguous('uint8', [200, 200, 255, 1], [1, 2, 2])),
  matmulCase(
    ['views', 'int64 a transposed, b broadcast over the batch'],
    operand('int64', (n, s) => integers(n, -50, 50, s), [2, 3, 4], 99, { ...TRANSPOSED, offset: 1 }),
    broadcast('int64', integers(8, -50, 50, 100), [4, 2], [2, 4, 2], 2),
  ),
  matmulCase(['views', 'float64 b transposed'], operand('float64', reals, [2, 3, 4], 101), operand('float64', reals, [2, 4, 2], 102, TRANSPOSED)),
  matmulCase(['views', 'int8 stepped'], operand('int8', (n, s) => integers(n, -128, 127, s), [2, 3, 4], 103, { step: 2 }), operand('int8', (n, s) => integers(n, -128, 127, s), [2, 4, 2], 104)),
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
