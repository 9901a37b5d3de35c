import { BINARY_OPS, type BinaryOp, type DType } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, integers } from '../data.js';
import { contiguous, logical, type StridedSpec } from '../layouts.js';
import type { ToleranceKind } from '../options.js';
import { binaryOutputDType, binaryReference } from '../reference.js';
import { missingOpCase, type ConformanceCase, type PrimitiveSuite } from './case.js';
import { binaryVariants, type ValueSource } from './view-variants.js';

interface Pairs {
  readonly a: readonly number[];
  readonly b: readonly number[];
}

interface BinaryCase {
  readonly kind: Exclude<ToleranceKind, 'exact' | 'reduction'>;
  /** Operand pairs per accepted dtype; a dtype left out is one the tensor layer never sends for this op. */
  readonly inputs: Partial<Record<DType, Pairs>>;
}

const INF = Infinity;
const BOOL_PAIRS: Pairs = { a: [0, 0, 1, 1], b: [0, 1, 0, 1] };

const COMPARISON: BinaryCase = {
  kind: 'elementwise',
  inputs: {
    float32: { a: [1, 1, 2, NaN, NaN, INF, -0, -INF, 1e-30], b: [1, 2, 1, 1, NaN, INF, 0, 0, 0] },
    int32: { a: [INT32_MIN, 5, 7, 0, -1], b: [INT32_MAX, 5, -7, 0, INT32_MIN] },
    bool: BOOL_PAIRS,
  },
};

/** On bool operands maximum is logical or and minimum logical and: the tensor layer has no other and/or. */
const EXTREMUM: BinaryCase = {
  kind: 'elementwise',
  inputs: {
    float32: { a: [1, -1, NaN, 2, INF, -INF, 1.5, NaN], b: [2, -2, 1, NaN, 3, -3, 1.5, NaN] },
    int32: { a: [INT32_MIN, 5, -3], b: [INT32_MAX, 5, -4] },
    bool: BOOL_PAIRS,
  },
};

/** Per op: IEEE edge cases for float32, wrap-around and truncation for int32, PyTorch's bool arithmetic. */
const BINARY_CASES: Record<BinaryOp, BinaryCase> = {
  add: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [1.5, -2.25, 1e38, 3e38, INF, INF, NaN, 0.1, -0], b: [2.25, 2.25, 1e38, 3e38, -INF, 1, 1, 0.2, 0] },
      int32: { a: [1, INT32_MAX, INT32_MIN, -5, 123456789], b: [2, 1, -1, 5, 2023456789] },
      bool: BOOL_PAIRS, // True + True is True
    },
  },
  sub: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [5, -2.25, INF, INF, NaN, 1e-30, 0.3], b: [2.5, 2.25, INF, -INF, 1, 1e-30, 0.1] },
      int32: { a: [INT32_MIN, 5, INT32_MAX, 0], b: [1, 7, -1, INT32_MIN] },
    },
  },
  mul: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [1.5, -2, 0, INF, INF, NaN, 1e30, -0, 0.1], b: [2, 3.25, INF, -1, 0, 1, 1e30, 5, 0.3] },
      int32: { a: [65536, 123456789, -7, INT32_MIN, 46341], b: [65536, 987, 6, -1, 46341] },
      bool: BOOL_PAIRS,
    },
  },
  div: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [7, -7, 1, -1, 0, 1e-30, INF, 1, 0.1], b: [2, 2, 0, 0, 0, 1e30, INF, 3, 0.7] },
      // Truncation toward zero; division by zero is undefined for integers (PyTorch raises).
      int32: { a: [7, -7, 7, -7, 0, INT32_MIN, INT32_MAX, 1, -1], b: [2, 2, -2, -2, 5, 2, -1, 3, 3] },
    },
  },
  pow: {
    kind: 'transcendental',
    inputs: {
      float32: {
        a: [2, 2, -2, -2, 0, NaN, 1, 1, -1, 0, -0, 4, 2, 0.5, 2, 10, 10, 1.5, -8, 0.5],
        b: [10, -1, 3, 0.5, 0, 0, NaN, INF, INF, -1, -1, 0.5, -INF, INF, INF, 38, 39, 2.5, 1 / 3, -2],
      },
      // Wrap-around like repeated int32 multiplication; negative exponents are rejected above the backend.
      int32: { a: [2, 3, 0, -2, 2, 3, -1, 1, 7, -3], b: [10, 0, 0, 3, 31, 21, 5, 100, 1, 4] },
    },
  },
  maximum: EXTREMUM,
  minimum: EXTREMUM,
  eq: COMPARISON,
  ne: COMPARISON,
  lt: COMPARISON,
  le: COMPARISON,
};

function binaryCase(title: string[], op: BinaryOp, a: StridedSpec, b: StridedSpec, kind: BinaryCase['kind']): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('binary', (backend) => backend.binary(op, h.input(a), h.input(b)));
      const dtype = binaryOutputDType(op, a.dtype);
      await h.expectBuffer(`binary ${op} (${a.dtype})`, out, {
        dtype,
        shape: a.view.shape,
        values: binaryReference(op, a.dtype, logical(a), logical(b)),
        kind: dtype === 'float32' ? kind : 'exact',
      });
    },
  };
}

/**
 * Non-commutative and dtype-changing ops, so swapped operands or a wrong output dtype show; and maximum/minimum
 * on bools, which are the tensor layer's logical or/and (a broadcast mask against a transposed one).
 */
const VIEW_OPS: readonly { op: BinaryOp; dtype: DType; values: ValueSource }[] = [
  { op: 'sub', dtype: 'float32', values: dyadic },
  { op: 'sub', dtype: 'int32', values: (count, seed) => integers(count, -1000, 1000, seed) },
  { op: 'lt', dtype: 'float32', values: (count, seed) => integers(count, -2, 2, seed) },
  { op: 'le', dtype: 'bool', values: booleans },
  { op: 'maximum', dtype: 'bool', values: booleans },
  { op: 'minimum', dtype: 'bool', values: booleans },
];

const binaryCases = (): ConformanceCase[] => [
  // Iterating the spec's list (not this table's keys) makes a newly added op fail here until it has a case.
  ...BINARY_OPS.flatMap((op) => {
    const entry = BINARY_CASES[op] as BinaryCase | undefined;
    if (!entry) return [missingOpCase(op)];
    return Object.entries(entry.inputs).map(([dtype, { a, b }]) =>
      binaryCase([op, dtype], op, contiguous(dtype as DType, a, [a.length]), contiguous(dtype as DType, b, [b.length]), entry.kind),
    );
  }),
  ...VIEW_OPS.flatMap(({ op, dtype, values }) =>
    binaryVariants(dtype, values).map(({ name, a, b }) => binaryCase(['views', `${op} ${dtype}`, name], op, a, b, 'elementwise')),
  ),
];

export const binarySuite: PrimitiveSuite = {
  primitive: 'binary',
  probeUses: ['upload'],
  probe: async (h) => {
    const x = contiguous('float32', [1], [1]);
    const out = h.kernel('binary', (b) => b.binary('add', h.input(x), h.input(x)));
    await h.read(out, 'float32', 1);
  },
  cases: binaryCases,
};
