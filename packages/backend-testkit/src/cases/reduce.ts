import { REDUCE_OPS, type ReduceOp } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, integers, TWO53 } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { reduceOutputDType, reduceReference, type Value } from '../reference.js';
import { BEYOND_32_BITS, dtypeOf, missingOpCase, type ConformanceCase, type PrimitiveSuite, type TableKey } from './case.js';

const INF = Infinity;
const WIDE = `int64 ${BEYOND_32_BITS}` as const;

/** A [rows, columns] input reduced over its last dim. */
interface Matrix {
  readonly rows: readonly (readonly Value[])[];
}

type ReduceInputs = Partial<Record<TableKey, Matrix>>;

const EXTREMUM_INPUTS: ReduceInputs = {
  float32: { rows: [[1, 3, 2, 3], [NaN, 5, 1, NaN], [-INF, -INF, -INF, -INF], [1, 2, INF, NaN], [-1, -2, -4, -4]] },
  float64: { rows: [[1, 1 + 2 ** -52, 1, 0.5], [NaN, 5, 1, NaN], [-INF, -INF, -INF, -INF], [1e-300, 0, 5e-324, -1e300]] },
  int64: { rows: [[INT32_MIN, -5, INT32_MIN, 2], [7, 7, 1, INT32_MAX], [0, 0, 0, 0]] },
  [WIDE]: { rows: [[INT64_MIN, -5n, INT64_MIN, 2n], [TWO53, TWO53 + 1n, TWO53 + 1n, 1n], [INT64_MAX, -1n, 2n ** 32n, INT64_MAX], [-(2n ** 32n), -1n, -(2n ** 32n) - 1n, 0n]] },
  int32: { rows: [[INT32_MIN, -5, INT32_MIN, 2], [7, 7, 1, INT32_MAX], [0, 0, 0, 0]] },
  int16: { rows: [[-32768, -5, -32768, 2], [7, 7, 1, 32767]] },
  int8: { rows: [[-128, -5, -128, 2], [7, 7, 1, 127]] },
  uint8: { rows: [[0, 255, 128, 255], [127, 128, 0, 1]] }, // unsigned: 255 is the largest
  bool: { rows: [[0, 0, 0, 0], [0, 1, 0, 1], [1, 1, 1, 1], [1, 0, 1, 0]] },
};

/**
 * Per op: NaN propagation (NaN wins max/min/argmax/argmin), first-occurrence ties, float64 precision, and integer
 * and bool sums and products, which PyTorch accumulates in int64 (exact past 2^31, wrapping past 2^63).
 */
export const REDUCE_CASES: Record<ReduceOp, ReduceInputs> = {
  sum: {
    float32: { rows: [[1.5, -2.25, 0.5, 4], [INF, 1, 2, 3], [NaN, 1, 1, 1], [1e38, 3e38, 1e38, -1e38], [0.1, 0.2, 0.3, 0.4]] },
    float64: { rows: [[1.5, -2.25, 0.5, 4], [INF, 1, 2, 3], [NaN, 1, 1, 1], [1e308, 1e308, -1e308, 1], [0.1, 0.2, 0.3, 0.4], [2 ** 53, 1, 1, 2]] },
    int64: { rows: [[5, -7, 100, 2], [1000000, 2000000, -5, 0]] },
    [WIDE]: { rows: [[INT64_MAX, 1n, 0n, 0n], [TWO53, 1n, 1n, 1n], [INT64_MIN, -1n, 0n, 0n], [2n ** 62n, 2n ** 62n, 2n ** 62n, 2n ** 62n]] },
    int32: { rows: [[5, -7, 100, 2], [1000000, 2000000, -5, 0]] },
    // int32 sums are int64 in PyTorch: no wrap-around at 2^31.
    [`int32 ${BEYOND_32_BITS}`]: { rows: [[INT32_MAX, 1, 0, 0], [INT32_MIN, -1, 0, 0], [INT32_MAX, INT32_MAX, INT32_MAX, 3]] },
    int16: { rows: [[32767, 32767, 1, 0], [-32768, -32768, 5, -1]] },
    int8: { rows: [[127, 127, 127, 127], [-128, -128, 3, 0]] },
    uint8: { rows: [[255, 255, 255, 255], [0, 1, 2, 3]] },
    bool: { rows: [[1, 1, 0, 1], [0, 0, 0, 0], [1, 1, 1, 1]] },
  },
  prod: {
    float32: { rows: [[1.5, -2, 4, 0.5], [0, INF, 1, 1], [1e20, 1e20, 1, 1], [NaN, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]] },
    float64: { rows: [[1.5, -2, 4, 0.5], [0, INF, 1, 1], [1e200, 1e200, 1, 1], [1e-200, 1e-200, 1e100, 1], [NaN, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]] },
    int64: { rows: [[-1, -1, -1, 7], [3, 5, 7, 11]] },
    [WIDE]: { rows: [[2n ** 32n, 2n ** 32n, 3n, 1n], [3037000500n, 3037000500n, 1n, 1n], [INT64_MIN, -1n, 1n, 1n], [94906267n, 94906267n, -1n, 1n]] },
    int32: { rows: [[-1, -1, -1, 7], [3, 5, 7, 11]] },
    // INT32_MAX^3 needs 93 bits: only int64 arithmetic wrapping at 2^64 (not a double product) gets it right.
    [`int32 ${BEYOND_32_BITS}`]: { rows: [[65536, 65536, 3, 1], [INT32_MAX, INT32_MAX, INT32_MAX, 3], [123457, 98765, 43, 11]] },
    int16: { rows: [[32767, 32767, 2, 1], [-32768, 3, 5, -1]] },
    int8: { rows: [[127, 127, -128, 1], [-1, -1, -1, 5]] },
    uint8: { rows: [[255, 255, 255, 1], [2, 0, 255, 3]] },
    bool: { rows: [[1, 1, 0, 1], [1, 1, 1, 1]] },
  },
  max: EXTREMUM_INPUTS,
  min: EXTREMUM_INPUTS,
  argmax: EXTREMUM_INPUTS,
  argmin: EXTREMUM_INPUTS,
};

/** Sums of the absolute terms: the scale a sum's rounding error grows with. */
function sumScale(x: StridedSpec, reducedDims: number): number[] {
  return reduceReference('sum', 'float64', logical(x).map((v) => Math.abs(Number(v))), x.view.shape, reducedDims).map(Number);
}

function reduceCase(title: string[], op: ReduceOp, x: StridedSpec, reducedDims: number): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const dtype = reduceOutputDType(op, x.dtype);
      h.need(dtype);
      const out = h.kernel('reduce', (b) => b.reduce(op, h.input(x), reducedDims));
      const isFloat = dtype === 'float32' || dtype === 'float64';
      const isFloatSum = isFloat && (op === 'sum' || op === 'prod');
      await h.expectBuffer(`reduce ${op} of ${reducedDims} dims (${x.dtype} to ${dtype})`, out, {
        dtype,
        shape: x.view.shape.slice(0, x.view.shape.length - reducedDims),
        values: reduceReference(op, x.dtype, logical(x), x.view.shape, reducedDims),
        kind: isFloatSum ? 'reduction' : 'exact',
        scale: op === 'sum' && isFloat ? sumScale(x, reducedDims) : undefined,
      });
    },
  };
}

/** Float data for the view cases: small integers, so ties exist for arg ops and every sum is exact. */
const data = (count: number, seed: number) => integers(count, -3, 3, seed).map((v) => v / 2);

/** int32-range data: +-1 for products (which would wrap), otherwise sums stay far below 2^31. */
const largeInts = (op: ReduceOp, seed: number) =>
  op === 'prod' ? integers(2 * 4099, 0, 1, seed).map((v) => (v ? 1 : -1)) : integers(2 * 4099, -1e5, 1e5, seed);

/** int64 values past 2^53, with ties in the high words. */
const wideInts = (count: number, seed: number) => integers(count, -3, 3, seed).map((v, i) => BigInt(v) * 2n ** 53n + BigInt(i % 3));

/** Views and shapes every reduction must handle; `op` decides which dtypes and empty reductions are defined. */
function structuralCases(op: ReduceOp): ConformanceCase[] {
  const t = (name: string) => ['views', op, name];
  const sumLike = op === 'sum' || op === 'prod';
  return [
    reduceCase(t('all dims of a matrix to 0-d'), op, contiguous('float32', data(12, 51), [3, 4]), 2),
    reduceCase(t('trailing 2 of 3 dims, permuted strides'), op, strided('float32', data(24, 52), [2, 3, 4], { order: [2, 0, 1], offset: 2 }), 2),
    reduceCase(t('trailing 3 of 4 dims, stepped'), op, strided('float32', data(48, 53), [2, 3, 2, 4], { step: 2, offset: 1 }), 3),
    reduceCase(t('last of 4 dims, permuted'), op, strided('float32', data(48, 54), [2, 4, 3, 2], { order: [3, 1, 0, 2] }), 1),
    reduceCase(t('a broadcast (stride 0) reduced dim'), op, broadcast('float32', data(3, 55), [3, 1], [3, 5], 1), 1),
    reduceCase(t('a broadcast kept dim'), op, broadcast('float32', data(5, 56), [1, 5], [3, 5], 2), 1),
    reduceCase(t('0-d with no reduced dims'), op, strided('float32', [2.5], [], { offset: 1 }), 0),
    reduceCase(t('no reduced dims'), op, contiguous('float32', data(3, 57), [3]), 0),
    reduceCase(t('empty kept dim'), op, contiguous('float32', [], [0, 4]), 1),
    op === 'prod'
      ? // Powers of two keep a long product exact and in range.
        reduceCase(t('large, 3 x 257'), op, contiguous('float32', integers(771, 0, 3, 61).map((v) => [0.5, 1, -1, 2][v]), [3, 257]), 1)
      : reduceCase(t('large, 3 x 2053'), op, contiguous('float32', data(3 * 2053, 58), [3, 2053]), 1),
    // Products of +-1 and sums below 2^31, so every result also fits 32 bits.
    reduceCase(t('large int32, 2 x 4099'), op, contiguous('int32', largeInts(op, 59), [2, 4099]), 1),
    reduceCase(t('int64, transposed at an offset'), op, strided('int64', largeInts(op, 63).slice(0, 12), [3, 4], { order: [1, 0], offset: 2 }), 1),
    reduceCase(t(`int64 ${BEYOND_32_BITS}, stepped`), op, strided('int64', wideInts(24, 64), [2, 3, 4], { step: 2, offset: 1 }), 2),
    reduceCase(t('int8, permuted'), op, strided('int8', integers(24, op === 'prod' ? -2 : -128, op === 'prod' ? 2 : 127, 65), [2, 3, 4], { order: [2, 0, 1] }), 2),
    reduceCase(t('uint8, stepped'), op, strided('uint8', integers(12, 0, op === 'prod' ? 3 : 255, 66), [3, 4], { step: 2 }), 1),
    reduceCase(t('float64, transposed'), op, strided('float64', data(12, 67).map((v) => v + 2 ** -45), [3, 4], { order: [1, 0], offset: 1 }), 1),
    ...(sumLike
      ? [
          // max/min/argmax/argmin of nothing raise above the backend; sum and prod of nothing are 0 and 1.
          reduceCase(t('empty reduced dim'), op, contiguous('float32', [], [2, 0]), 1),
          reduceCase(t('empty reduced dims of a rank-3 view'), op, contiguous('int32', [], [3, 0, 2]), 2),
        ]
      : // bool sums and products are cast to int32 above the backend.
        [reduceCase(t('bool, transposed'), op, strided('bool', booleans(12, 60), [3, 4], { order: [1, 0] }), 1)]),
    ...(op === 'sum'
      ? [reduceCase(t('large float32 with rounding'), op, contiguous('float32', dyadic(4099, 62).map((v) => v * 1e3 + 0.1), [4099]), 1)]
      : []),
  ];
}

const reduceCases = (): ConformanceCase[] =>
  // Iterating the spec's list (not this table's keys) makes a newly added op fail here until it has a case.
  REDUCE_OPS.flatMap((op) => {
    const entry = REDUCE_CASES[op] as ReduceInputs | undefined;
    if (!entry) return [missingOpCase(op)];
    const tables = Object.entries(entry).map(([key, { rows }]) =>
      reduceCase([op, key], op, contiguous(dtypeOf(key as TableKey), rows.flat(), [rows.length, rows[0].length]), 1),
    );
    return [...tables, ...structuralCases(op)];
  });

export const reduceSuite: PrimitiveSuite = {
  primitive: 'reduce',
  probeUses: ['upload'],
  probe: async (h) => {
    const out = h.kernel('reduce', (b) => b.reduce('sum', h.input(contiguous('float32', [1, 2], [2])), 1));
    await h.read(out, 'float32', 1);
  },
  cases: reduceCases,
};
