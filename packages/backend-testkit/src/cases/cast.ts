import { DTYPES, numelOf, type DType } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, integers, TWO53 } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { castReference, isFloatDType, type Value } from '../reference.js';
import { BEYOND_32_BITS, type ConformanceCase, type PrimitiveSuite } from './case.js';

const INF = Infinity;

/** Float specials, kept by float targets and tested non-zero by bool (NaN is true). */
const FLOAT32_SPECIAL = [-2.75, -0, 0.1, NaN, INF, -INF, 3.4028234663852886e38, 1e-30];
const FLOAT64_SPECIAL = [-2.75, -0, 0.1, NaN, INF, -INF, 1.7976931348623157e308, 5e-324, 1 + 2 ** -52];
/** float64 to float32 rounds once to nearest even: past the largest float32 to infinity, below the smallest to 0. */
const FLOAT64_TO_FLOAT32 = [-2.75, -0, 0.1, NaN, INF, 1e39, 3.4028235677973366e38, 3.4028235677973362e38, 1e-46, 7.006492321624085e-46, 1 + 2 ** -30];

/**
 * Floats whose truncation toward zero fits the target (the tensor layer raises for the others, so PyTorch's
 * result for them is not defined): fractions either side of 0 and the ends of the range.
 */
const FLOAT_TO_INT: Record<'int64' | 'int32' | 'int16' | 'int8' | 'uint8', readonly number[]> = {
  int64: [-2.75, -0.5, -0, 0.4, 1, 100.9, -100.9, 16777217, 2147483520, -2147483648],
  int32: [-2.75, -0.5, -0, 0, 0.4, 1, 2.5, 100.9, -100.9, 16777217, 2147483520, -2147483648],
  int16: [-32768.9, -2.75, -0.5, -0, 0.4, 2.5, 255.5, 32767.9],
  int8: [-128.9, -2.75, -0.5, -0, 0.4, 1, 2.5, 100.9, 127.9],
  uint8: [-0.9, -0, 0, 0.4, 1.5, 127.9, 128, 254.9, 255.9],
};
/** float to int64 past 32 bits: the largest floats below 2^63, -2^63, past 2^53, 1e18 + 0.5 (1e18 as a float64). */
const FLOAT32_TO_INT64_WIDE = [2 ** 40, -(2 ** 62), 9223371487098961920, -9223372036854775808, 16777216 * 2 ** 20 + 2 ** 21];
const FLOAT64_TO_INT64_WIDE = [2 ** 62, -(2 ** 63), 1e18 + 0.5, 9223372036854774784, -1.5e18, 2 ** 53 + 2, -(2 ** 53) - 2];

/** Every integer dtype's extremes and the values that wrap when narrowed (300 to int8 is 44, -1 to uint8 is 255). */
const INTEGERS: Record<'int64' | 'int32' | 'int16' | 'int8' | 'uint8', readonly Value[]> = {
  int64: [INT32_MIN, -7, -1, 0, 1, 255, 300, -129, 65535, 16777217, INT32_MAX],
  int32: [INT32_MIN, -7, -1, 0, 1, 255, 300, -129, 65535, 16777217, 16777219, INT32_MAX],
  int16: [-32768, -129, -1, 0, 1, 255, 300, 32767],
  int8: [-128, -1, 0, 1, 127],
  uint8: [0, 1, 127, 128, 255],
};
/**
 * int64 past 32 bits: to float32 rounds once (2^60 + 2^36 + 1 is 2^60 + 2^37, though via float64 it would be 2^60),
 * to float64 ties to even (2^53 + 1), narrowing keeps the low bits (2^32 + 255 to int32 is 255, to uint8 255), and
 * a value whose low 32 bits are 0 is still true.
 */
const INT64_WIDE: readonly Value[] = [
  INT64_MIN,
  INT64_MAX,
  2n ** 60n + 2n ** 36n + 1n,
  -(2n ** 60n + 2n ** 36n + 1n),
  2n ** 60n + 2n ** 36n,
  TWO53 + 1n,
  TWO53 + 3n,
  2n ** 31n,
  -(2n ** 31n) - 1n,
  2n ** 32n + 255n,
  2n ** 32n,
  -(2n ** 40n) - 300n,
];

/** The inputs of `from` cast to `to`, and those beyond 32 bits (int64 values or results past the int32 range). */
export function castInputs(from: DType, to: DType): { values: readonly Value[]; wide?: readonly Value[] } {
  if (from === 'bool') return { values: [0, 1, 1, 0] };
  if (isFloatDType(from)) {
    if (to === 'int64') return { values: FLOAT_TO_INT.int64, wide: from === 'float32' ? FLOAT32_TO_INT64_WIDE : FLOAT64_TO_INT64_WIDE };
    if (to !== 'bool' && !isFloatDType(to)) {
      const values = FLOAT_TO_INT[to as keyof typeof FLOAT_TO_INT];
      return { values: from === 'float64' && to === 'int32' ? [...values, 2147483647.9, -2147483648.9] : values };
    }
    if (from === 'float64' && to === 'float32') return { values: FLOAT64_TO_FLOAT32 };
    return { values: from === 'float32' ? FLOAT32_SPECIAL : FLOAT64_SPECIAL };
  }
  const values = INTEGERS[from as keyof typeof INTEGERS];
  return from === 'int64' ? { values, wide: INT64_WIDE } : { values };
}

function castCase(title: string[], x: StridedSpec, to: DType): ConformanceCase {
  return {
    title,
    run: async (h) => {
      h.need(to);
      const out = h.kernel('cast', (b) => b.cast(h.input(x), to));
      const values = castReference(logical(x), to);
      await h.expectBuffer(`cast(${x.dtype} -> ${to})`, out, { dtype: to, shape: x.view.shape, values, kind: 'exact' });
    },
  };
}

const castCases = (): ConformanceCase[] => [
  ...DTYPES.flatMap((from) =>
    DTYPES.flatMap((to) => {
      const { values, wide } = castInputs(from, to);
      const title = `${from} to ${to}`;
      return [
        castCase([title], contiguous(from, values, [values.length]), to),
        ...(wide ? [castCase([`${title} ${BEYOND_32_BITS}`], contiguous(from, wide, [wide.length]), to)] : []),
      ];
    }),
  ),
  castCase(['views', 'transposed float32 to int32'], strided('float32', dyadic(12, 2), [3, 4], { order: [1, 0], offset: 2 }), 'int32'),
  castCase(['views', 'stepped int32 to float32'], strided('int32', integers(12, -1000, 1000, 4), [2, 6], { step: 2, offset: 1 }), 'float32'),
  castCase(['views', 'broadcast bool to float32'], broadcast('bool', [1, 0, 1], [3, 1], [3, 4], 1), 'float32'),
  castCase(['views', 'rank 4 permuted float32 to bool'], strided('float32', dyadic(36, 6), [3, 1, 2, 6], { order: [3, 1, 0, 2], offset: 1 }), 'bool'),
  castCase(['views', '0-d int32 to float32'], strided('int32', [-5], [], { offset: 2 }), 'float32'),
  castCase(['views', 'empty float32 to int32'], contiguous('float32', [], [3, 0]), 'int32'),
  castCase(['views', 'bool with gaps to int32'], strided('bool', booleans(8, 9), [8], { step: 3 }), 'int32'),
  castCase(['views', 'transposed int64 to float64'], strided('int64', integers(12, -1e6, 1e6, 10), [3, 4], { order: [1, 0], offset: 1 }), 'float64'),
  castCase(
    ['views', `stepped int64 to float32 ${BEYOND_32_BITS}`],
    strided('int64', integers(12, -1e6, 1e6, 11).map((v) => BigInt(v) * 2n ** 40n + 1n), [2, 6], { step: 2, offset: 3 }),
    'float32',
  ),
  castCase(['views', 'stepped float64 to int64'], strided('float64', dyadic(12, 12).map((v) => v * 1000), [2, 6], { step: 2, offset: 1 }), 'int64'),
  castCase(['views', 'broadcast uint8 to int8'], broadcast('uint8', [0, 127, 128, 255], [4], [3, 4], 2), 'int8'),
  castCase(['views', 'int16 with gaps to int64'], strided('int16', integers(8, -32768, 32767, 13), [8], { step: 3, offset: 2 }), 'int64'),
  castCase(['views', 'permuted int8 to uint8'], strided('int8', integers(24, -128, 127, 14), [2, 3, 4], { order: [2, 1, 0] }), 'uint8'),
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
