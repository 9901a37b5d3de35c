import { UNARY_OPS, type DType, type UnaryOp } from '@descent/backend';
import { booleans, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, integers, reals, TWO53 } from '../data.js';
import { contiguous, logical, type StridedSpec } from '../layouts.js';
import type { ToleranceKind } from '../options.js';
import { unaryOutputDType, unaryReference, type Value } from '../reference.js';
import { BEYOND_32_BITS, dtypeOf, missingOpCase, type ConformanceCase, type PrimitiveSuite, type TableKey } from './case.js';
import { unaryVariants } from './view-variants.js';

interface UnaryCase {
  readonly kind: Exclude<ToleranceKind, 'exact' | 'reduction'>;
  /** Inputs per accepted dtype; a dtype left out is one the tensor layer never sends for this op. */
  readonly inputs: Partial<Record<TableKey, readonly Value[]>>;
}

const INF = Infinity;
const FLOAT_MAX = 3.4028234663852886e38;
const DOUBLE_MAX = 1.7976931348623157e308;
const ROUNDING = [-2.5, -0.5, 0.5, 1.5, 2, -2, 4194304.5, -4194304.5, 1e30, INF, -INF, NaN];
const ROUNDING_64 = [...ROUNDING, 4503599627370495.5, -4503599627370495.5, 0.49999999999999994, 1e300];

/**
 * Extremes of every integer dtype, for the ops integers take (`INTEGER_UNARY_OPS`): `abs` and `neg` of the most
 * negative value wrap to itself, uint8 negates modulo 256. int64 within the int32 range, then past it.
 */
export const INTEGER_INPUTS: Readonly<Record<TableKey & ('int32' | 'int16' | 'int8' | 'uint8' | 'int64' | 'int64 beyond 32 bits'), readonly Value[]>> = {
  int32: [INT32_MIN, -7, 0, 9, INT32_MAX],
  int16: [-32768, -7, 0, 9, 32767],
  int8: [-128, -7, 0, 9, 127],
  uint8: [0, 1, 9, 128, 255],
  int64: [-INT32_MAX, -7, 0, 9, INT32_MAX],
  'int64 beyond 32 bits': [INT64_MIN, INT64_MIN + 1n, -TWO53 - 1n, BigInt(INT32_MIN), 2n ** 32n, -(2n ** 32n), TWO53 + 1n, INT64_MAX],
};

/** float inputs per dtype, for the ops only floats take. */
const floats = (float32: readonly number[], float64: readonly number[] = float32) => ({ float32, float64 });

/** An op integers take: the float inputs, every integer dtype's extremes, and bool when PyTorch defines it. */
const integerOp = (float32: readonly number[], float64: readonly number[], bool?: readonly number[]) => ({
  ...floats(float32, float64),
  ...INTEGER_INPUTS,
  ...(bool ? { bool } : {}),
});

/** Per op: edge values (zeros, infinities, NaN, integer extremes) whose results PyTorch defines. */
export const UNARY_CASES: Record<UnaryOp, UnaryCase> = {
  neg: { kind: 'elementwise', inputs: integerOp([1.5, -2.25, 0, -0, INF, -INF, NaN, FLOAT_MAX, 1e-30], [1.5, -0, INF, NaN, DOUBLE_MAX, 1e-300, 0.1]) },
  abs: { kind: 'elementwise', inputs: integerOp([-1.5, 2.25, -0, -INF, NaN, -FLOAT_MAX], [-1.5, -0, -INF, NaN, -DOUBLE_MAX, -5e-324]) },
  sign: { kind: 'elementwise', inputs: integerOp([-3, -0.5, 0, 2, 1e-30, INF, -INF, NaN], [-3, -0, 0, 5e-324, INF, NaN], [0, 1, 1, 0]) },
  exp: { kind: 'transcendental', inputs: floats([-80, -1, 0, 0.5, 1, 10, 88, 89, -INF, INF, NaN], [-700, -1, 0, 0.5, 1e-10, 1, 10, 89, 709, 710, -INF, INF, NaN]) },
  log: { kind: 'transcendental', inputs: floats([1e-30, 0.5, 1, Math.E, 100, 3e38, 0, -0, -1, INF, NaN], [1e-300, 0.5, 1, 1 + 1e-12, Math.E, 100, 1e300, 0, -1, INF, NaN]) },
  sqrt: { kind: 'transcendental', inputs: floats([0, 0.25, 2, 1e10, 3e38, 1e-30, -1, INF, NaN], [0, 0.25, 2, 1e10, 1e300, 1e-300, -1, INF, NaN]) },
  rsqrt: { kind: 'transcendental', inputs: floats([0, 0.25, 2, 1e10, 1e-30, -1, INF, NaN], [0, 0.25, 2, 1e10, 1e-300, -1, INF, NaN]) },
  reciprocal: { kind: 'elementwise', inputs: floats([0, -0, 0.5, -4, 3, 1e-30, INF, -INF, NaN], [0, -0, 0.5, 3, 0.1, 1e-300, -INF, NaN]) },
  sin: { kind: 'transcendental', inputs: floats([0, 0.5, -1, 2, 3, -3.1, 6, NaN, INF], [0, 0.5, -1, 2, 3, -3.1, 6, 1e-10, NaN, INF]) },
  cos: { kind: 'transcendental', inputs: floats([0, 0.5, -1, 1, 3, -2.5, 6, NaN, INF], [0, 0.5, -1, 1, 3, -2.5, 6, 1e-10, NaN, INF]) },
  tanh: { kind: 'transcendental', inputs: floats([0, 1e-4, 0.1, -0.5, 1, 3, -10, 20, INF, -INF, NaN], [0, 1e-10, 0.1, -0.5, 1, 3, -10, 20, INF, NaN]) },
  sigmoid: { kind: 'transcendental', inputs: floats([0, 1, -1, 5, -20, -80, 100, INF, -INF, NaN], [0, 1, -1, 5, -20, -80, -700, 100, 800, INF, -INF, NaN]) },
  relu: { kind: 'elementwise', inputs: integerOp([-1, 0, 2.5, -1e-30, -INF, INF, NaN], [-1, 0, 2.5, -1e-300, -INF, INF, NaN]) },
  erf: { kind: 'transcendental', inputs: floats([0, 1e-3, 0.1, 0.5, -0.5, 1, 1.5, 2, 2.4, 2.6, -2.5, 3, 4, 6, 10, -INF, INF, NaN]) },
  floor: { kind: 'elementwise', inputs: integerOp(ROUNDING, ROUNDING_64) },
  ceil: { kind: 'elementwise', inputs: integerOp(ROUNDING, ROUNDING_64) },
  round: {
    kind: 'elementwise',
    inputs: integerOp(
      [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 2.6, -2.6, 4194304.5, 4194305.5, -4194305.5, 8388609, 1e30, INF, NaN],
      [0.5, 1.5, 2.5, -0.5, -2.5, 0.49999999999999994, 2.6, 4503599627370495.5, -4503599627370495.5, 4503599627370497, 1e300, INF, NaN],
    ),
  },
  logicalNot: {
    kind: 'elementwise',
    inputs: { ...integerOp([0, -0, 1.5, -2, 1e-30, NaN, INF], [0, -0, 5e-324, NaN, -INF]), int32: [0, 5, -1, INT32_MIN], bool: [0, 1, 1, 0] },
  },
};

function unaryCase(title: string[], op: UnaryOp, x: StridedSpec, kind: UnaryCase['kind']): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const dtype = unaryOutputDType(op, x.dtype);
      h.need(dtype);
      const out = h.kernel('unary', (b) => b.unary(op, h.input(x)));
      await h.expectBuffer(`unary ${op} (${x.dtype})`, out, {
        dtype,
        shape: x.view.shape,
        values: unaryReference(op, x.dtype, logical(x)),
        kind: dtype === 'float32' || dtype === 'float64' ? kind : 'exact',
      });
    },
  };
}

/** One op per dtype run through every odd view. */
const VIEW_OPS: readonly { op: UnaryOp; dtype: DType; label?: string; values: (count: number, seed: number) => Value[] }[] = [
  { op: 'exp', dtype: 'float32', values: reals },
  { op: 'exp', dtype: 'float64', values: reals },
  { op: 'neg', dtype: 'int32', values: (count, seed) => integers(count, -1000, 1000, seed) },
  { op: 'neg', dtype: 'int64', values: (count, seed) => integers(count, -1000, 1000, seed) },
  {
    op: 'neg',
    dtype: 'int64',
    label: `neg int64 ${BEYOND_32_BITS}`,
    values: (count, seed) => integers(count, -1000, 1000, seed).map((v) => BigInt(v) * 3n ** 33n),
  },
  { op: 'abs', dtype: 'int8', values: (count, seed) => integers(count, -128, 127, seed) },
  { op: 'logicalNot', dtype: 'bool', values: booleans },
];

const unaryCases = (): ConformanceCase[] => [
  // Iterating the spec's list (not this table's keys) makes a newly added op fail here until it has a case.
  ...UNARY_OPS.flatMap((op) => {
    const entry = UNARY_CASES[op] as UnaryCase | undefined;
    if (!entry) return [missingOpCase(op)];
    return Object.entries(entry.inputs).map(([key, values]) =>
      unaryCase([op, key], op, contiguous(dtypeOf(key as TableKey), values, [values.length]), entry.kind),
    );
  }),
  ...VIEW_OPS.flatMap(({ op, dtype, label, values }) =>
    unaryVariants(dtype, values).map(({ name, spec }) =>
      unaryCase(['views', label ?? `${op} ${dtype}`, name], op, spec, UNARY_CASES[op].kind),
    ),
  ),
];

export const unarySuite: PrimitiveSuite = {
  primitive: 'unary',
  probeUses: ['upload'],
  probe: async (h) => {
    const out = h.kernel('unary', (b) => b.unary('neg', h.input(contiguous('float32', [1], [1]))));
    await h.read(out, 'float32', 1);
  },
  cases: unaryCases,
};
