import { UNARY_OPS, type DType, type UnaryOp } from '@descent/backend';
import { booleans, INT32_MAX, INT32_MIN, integers, reals } from '../data.js';
import { contiguous, logical, type StridedSpec } from '../layouts.js';
import type { ToleranceKind } from '../options.js';
import { unaryOutputDType, unaryReference } from '../reference.js';
import { missingOpCase, type ConformanceCase, type PrimitiveSuite } from './case.js';
import { unaryVariants } from './view-variants.js';

interface UnaryCase {
  readonly kind: Exclude<ToleranceKind, 'exact' | 'reduction'>;
  /** Inputs per accepted dtype; a dtype left out is one the tensor layer never sends for this op. */
  readonly inputs: Partial<Record<DType, readonly number[]>>;
}

const INF = Infinity;
const FLOAT_MAX = 3.4028234663852886e38;
const SIGNED_INTS = [INT32_MIN, -7, 0, 9, INT32_MAX];
const ROUNDING = [-2.5, -0.5, 0.5, 1.5, 2, -2, 4194304.5, -4194304.5, 1e30, INF, -INF, NaN];

/** Per op: edge values (zeros, infinities, NaN, int32 extremes) whose results PyTorch defines. */
const UNARY_CASES: Record<UnaryOp, UnaryCase> = {
  neg: { kind: 'elementwise', inputs: { float32: [1.5, -2.25, 0, -0, INF, -INF, NaN, FLOAT_MAX, 1e-30], int32: SIGNED_INTS } },
  abs: { kind: 'elementwise', inputs: { float32: [-1.5, 2.25, -0, -INF, NaN, -FLOAT_MAX], int32: SIGNED_INTS } },
  sign: { kind: 'elementwise', inputs: { float32: [-3, -0.5, 0, 2, 1e-30, INF, -INF, NaN], int32: SIGNED_INTS } },
  exp: { kind: 'transcendental', inputs: { float32: [-80, -1, 0, 0.5, 1, 10, 88, 89, -INF, INF, NaN] } },
  log: { kind: 'transcendental', inputs: { float32: [1e-30, 0.5, 1, Math.E, 100, 3e38, 0, -0, -1, INF, NaN] } },
  sqrt: { kind: 'transcendental', inputs: { float32: [0, 0.25, 2, 1e10, 3e38, 1e-30, -1, INF, NaN] } },
  rsqrt: { kind: 'transcendental', inputs: { float32: [0, 0.25, 2, 1e10, 1e-30, -1, INF, NaN] } },
  reciprocal: { kind: 'elementwise', inputs: { float32: [0, -0, 0.5, -4, 3, 1e-30, INF, -INF, NaN] } },
  sin: { kind: 'transcendental', inputs: { float32: [0, 0.5, -1, 2, 3, -3.1, 6, NaN, INF] } },
  cos: { kind: 'transcendental', inputs: { float32: [0, 0.5, -1, 1, 3, -2.5, 6, NaN, INF] } },
  tanh: { kind: 'transcendental', inputs: { float32: [0, 1e-4, 0.1, -0.5, 1, 3, -10, 20, INF, -INF, NaN] } },
  sigmoid: { kind: 'transcendental', inputs: { float32: [0, 1, -1, 5, -20, -80, 100, INF, -INF, NaN] } },
  relu: { kind: 'elementwise', inputs: { float32: [-1, 0, 2.5, -1e-30, -INF, INF, NaN], int32: SIGNED_INTS } },
  erf: {
    kind: 'transcendental',
    inputs: { float32: [0, 1e-3, 0.1, 0.5, -0.5, 1, 1.5, 2, 2.4, 2.6, -2.5, 3, 4, 6, 10, -INF, INF, NaN] },
  },
  floor: { kind: 'elementwise', inputs: { float32: ROUNDING } },
  ceil: { kind: 'elementwise', inputs: { float32: ROUNDING } },
  round: {
    kind: 'elementwise',
    inputs: {
      float32: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 2.6, -2.6, 4194304.5, 4194305.5, -4194305.5, 8388609, 1e30, INF, NaN],
      int32: SIGNED_INTS,
    },
  },
  logicalNot: {
    kind: 'elementwise',
    inputs: { float32: [0, -0, 1.5, -2, 1e-30, NaN, INF], int32: [0, 5, -1, INT32_MIN], bool: [0, 1, 1, 0] },
  },
};

function unaryCase(title: string[], op: UnaryOp, x: StridedSpec, kind: UnaryCase['kind']): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('unary', (b) => b.unary(op, h.input(x)));
      const dtype = unaryOutputDType(op, x.dtype);
      await h.expectBuffer(`unary ${op} (${x.dtype})`, out, {
        dtype,
        shape: x.view.shape,
        values: unaryReference(op, x.dtype, logical(x)),
        kind: dtype === 'float32' ? kind : 'exact',
      });
    },
  };
}

/** One op per dtype run through every odd view. */
const VIEW_OPS: readonly { op: UnaryOp; dtype: DType; values: (count: number, seed: number) => number[] }[] = [
  { op: 'exp', dtype: 'float32', values: reals },
  { op: 'neg', dtype: 'int32', values: (count, seed) => integers(count, -1000, 1000, seed) },
  { op: 'logicalNot', dtype: 'bool', values: booleans },
];

const unaryCases = (): ConformanceCase[] => [
  // Iterating the spec's list (not this table's keys) makes a newly added op fail here until it has a case.
  ...UNARY_OPS.flatMap((op) => {
    const entry = UNARY_CASES[op] as UnaryCase | undefined;
    if (!entry) return [missingOpCase(op)];
    return Object.entries(entry.inputs).map(([dtype, values]) =>
      unaryCase([op, dtype], op, contiguous(dtype as DType, values, [values.length]), entry.kind),
    );
  }),
  ...VIEW_OPS.flatMap(({ op, dtype, values }) =>
    unaryVariants(dtype, values).map(({ name, spec }) =>
      unaryCase(['views', `${op} ${dtype}`, name], op, spec, UNARY_CASES[op].kind),
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
