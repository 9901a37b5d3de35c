import { REDUCE_OPS, type DType, type ReduceOp } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, integers } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { reduceOutputDType, reduceReference } from '../reference.js';
import { missingOpCase, type ConformanceCase, type PrimitiveSuite } from './case.js';

const INF = Infinity;

/** A [rows, columns] input reduced over its last dim. */
interface Matrix {
  readonly rows: readonly (readonly number[])[];
}

type ReduceInputs = Partial<Record<DType, Matrix>>;

const EXTREMUM_INPUTS: ReduceInputs = {
  float32: { rows: [[1, 3, 2, 3], [NaN, 5, 1, NaN], [-INF, -INF, -INF, -INF], [1, 2, INF, NaN], [-1, -2, -4, -4]] },
  int32: { rows: [[INT32_MIN, -5, INT32_MIN, 2], [7, 7, 1, INT32_MAX], [0, 0, 0, 0]] },
  bool: { rows: [[0, 0, 0, 0], [0, 1, 0, 1], [1, 1, 1, 1], [1, 0, 1, 0]] },
};

/** Per op: NaN propagation (NaN wins max/min/argmax/argmin), first-occurrence ties, int32 wrap-around. */
const REDUCE_CASES: Record<ReduceOp, ReduceInputs> = {
  sum: {
    float32: { rows: [[1.5, -2.25, 0.5, 4], [INF, 1, 2, 3], [NaN, 1, 1, 1], [1e38, 3e38, 1e38, -1e38], [0.1, 0.2, 0.3, 0.4]] },
    int32: { rows: [[INT32_MAX, 1, 0, 0], [INT32_MIN, -1, 0, 0], [5, -7, 100, 2], [INT32_MAX, INT32_MAX, INT32_MAX, 3]] },
  },
  prod: {
    float32: { rows: [[1.5, -2, 4, 0.5], [0, INF, 1, 1], [1e20, 1e20, 1, 1], [NaN, 0, 1, 1], [0.1, 0.2, 0.3, 0.4]] },
    // INT32_MAX^3 needs 93 bits, so only int32 multiplication (not a double product wrapped once) gets it right.
    int32: { rows: [[65536, 65536, 3, 1], [INT32_MAX, INT32_MAX, INT32_MAX, 3], [-1, -1, -1, 7], [123457, 98765, 43, 11]] },
  },
  max: EXTREMUM_INPUTS,
  min: EXTREMUM_INPUTS,
  argmax: EXTREMUM_INPUTS,
  argmin: EXTREMUM_INPUTS,
};

/** Sums of the absolute terms: the scale a sum's rounding error grows with. */
function sumScale(x: StridedSpec, reducedDims: number): number[] {
  return reduceReference('sum', 'float32', logical(x).map(Math.abs), x.view.shape, reducedDims);
}

function reduceCase(title: string[], op: ReduceOp, x: StridedSpec, reducedDims: number): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('reduce', (b) => b.reduce(op, h.input(x), reducedDims));
      const dtype = reduceOutputDType(op, x.dtype);
      const isFloatSum = dtype === 'float32' && (op === 'sum' || op === 'prod');
      await h.expectBuffer(`reduce ${op} of ${reducedDims} dims (${x.dtype})`, out, {
        dtype,
        shape: x.view.shape.slice(0, x.view.shape.length - reducedDims),
        values: reduceReference(op, x.dtype, logical(x), x.view.shape, reducedDims),
        kind: isFloatSum ? 'reduction' : 'exact',
        scale: op === 'sum' && dtype === 'float32' ? sumScale(x, reducedDims) : undefined,
      });
    },
  };
}

/** Float data for the view cases: small integers, so ties exist for arg ops and every sum is exact. */
const data = (count: number, seed: number) => integers(count, -3, 3, seed).map((v) => v / 2);

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
    reduceCase(t('large int32, 2 x 4099'), op, contiguous('int32', integers(2 * 4099, -1e7, 1e7, 59), [2, 4099]), 1),
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
    const tables = Object.entries(entry).map(([dtype, { rows }]) =>
      reduceCase([op, dtype], op, contiguous(dtype as DType, rows.flat(), [rows.length, rows[0].length]), 1),
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
