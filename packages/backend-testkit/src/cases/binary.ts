import { BINARY_OPS, type BinaryOp, type DType } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, integers, TWO53 } from '../data.js';
import { contiguous, logical, type StridedSpec } from '../layouts.js';
import type { ToleranceKind } from '../options.js';
import { binaryOutputDType, binaryReference, type Value } from '../reference.js';
import { BEYOND_32_BITS, dtypeOf, missingOpCase, type ConformanceCase, type PrimitiveSuite, type TableKey } from './case.js';
import { binaryVariants, type ValueSource } from './view-variants.js';

interface Pairs {
  readonly a: readonly Value[];
  readonly b: readonly Value[];
}

interface BinaryCase {
  readonly kind: Exclude<ToleranceKind, 'exact' | 'reduction'>;
  /** Operand pairs per accepted dtype; a dtype left out is one the tensor layer never sends for this op. */
  readonly inputs: Partial<Record<TableKey, Pairs>>;
}

const INF = Infinity;
const BOOL_PAIRS: Pairs = { a: [0, 0, 1, 1], b: [0, 1, 0, 1] };
const TWO32 = 2n ** 32n;
const WIDE = `int64 ${BEYOND_32_BITS}` as const;

const COMPARISON: BinaryCase = {
  kind: 'elementwise',
  inputs: {
    float32: { a: [1, 1, 2, NaN, NaN, INF, -0, -INF, 1e-30], b: [1, 2, 1, 1, NaN, INF, 0, 0, 0] },
    float64: { a: [1, 0.1 + 0.2, NaN, NaN, INF, -0, 2 ** 53, 5e-324, 1e300], b: [1, 0.3, 1, NaN, INF, 0, 2 ** 53 + 2, 0, 1e300] },
    int64: { a: [INT32_MIN, 5, 7, 0, -1], b: [INT32_MAX, 5, -7, 0, INT32_MIN] },
    // Pairs that differ only in the low 32 bits, only in the high ones, or in sign.
    [WIDE]: {
      a: [TWO53, TWO53 + 1n, -1n, INT64_MIN, INT64_MAX, TWO32, -TWO32, TWO32 + 5n],
      b: [TWO53 + 1n, TWO53 + 1n, TWO32, INT64_MAX, INT64_MIN, TWO32 - 1n, -TWO32 + 1n, 5n],
    },
    int32: { a: [INT32_MIN, 5, 7, 0, -1], b: [INT32_MAX, 5, -7, 0, INT32_MIN] },
    int16: { a: [-32768, 5, 7, 0, -1], b: [32767, 5, -7, 0, -32768] },
    int8: { a: [-128, 5, 7, 0, -1], b: [127, 5, -7, 0, -128] },
    uint8: { a: [0, 255, 128, 5, 127], b: [255, 0, 127, 5, 128] }, // unsigned: 255 > 0
    bool: BOOL_PAIRS,
  },
};

/** On bool operands maximum is logical or and minimum logical and: the tensor layer has no other and/or. */
const EXTREMUM: BinaryCase = {
  kind: 'elementwise',
  inputs: {
    float32: { a: [1, -1, NaN, 2, INF, -INF, 1.5, NaN], b: [2, -2, 1, NaN, 3, -3, 1.5, NaN] },
    float64: { a: [1, NaN, 2, INF, 0.1, 1e-300], b: [2, 1, NaN, 3, 0.1 + 2 ** -56, 0] },
    int64: { a: [INT32_MIN, 5, -3], b: [INT32_MAX, 5, -4] },
    [WIDE]: { a: [INT64_MIN, TWO53, TWO53 + 1n, -1n, TWO32], b: [INT64_MAX, TWO53 + 1n, TWO53, TWO32, TWO32 - 1n] },
    int32: { a: [INT32_MIN, 5, -3], b: [INT32_MAX, 5, -4] },
    int16: { a: [-32768, 5, -3], b: [32767, 5, -4] },
    int8: { a: [-128, 5, -3], b: [127, 5, -4] },
    uint8: { a: [0, 255, 128, 7], b: [255, 0, 127, 7] },
    bool: BOOL_PAIRS,
  },
};

/**
 * Per op: IEEE edge cases for float32 and float64 (whose precision shows: 2^53 + 1, 1 + 2^-52), wrap-around and
 * truncation for every integer dtype (uint8 255 + 1 is 0, int64 past 2^53 and 2^63), PyTorch's bool arithmetic.
 */
export const BINARY_CASES: Record<BinaryOp, BinaryCase> = {
  add: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [1.5, -2.25, 1e38, 3e38, INF, INF, NaN, 0.1, -0], b: [2.25, 2.25, 1e38, 3e38, -INF, 1, 1, 0.2, 0] },
      float64: { a: [1.5, 0.1, 1e308, INF, INF, NaN, 2 ** 53, 1, 1], b: [2.25, 0.2, 1e308, -INF, 1, 1, 1, 2 ** -53, 2 ** -52] },
      int64: { a: [1, 2147483646, -5, -1073741824, 123456789], b: [2, 1, 5, -1073741824, 1000000000] },
      [WIDE]: {
        a: [INT64_MAX, TWO53, INT64_MIN, TWO32 - 1n, -(2n ** 40n), 2147483647n, 4294967295n],
        b: [1n, 1n, -1n, 1n, 2n ** 40n + 7n, 1n, 4294967295n],
      },
      int32: { a: [1, INT32_MAX, INT32_MIN, -5, 123456789], b: [2, 1, -1, 5, 2023456789] },
      int16: { a: [32767, -32768, 100, -5, 30000], b: [1, -1, 200, 5, 30000] },
      int8: { a: [127, -128, 100, -5], b: [1, -1, 100, 5] },
      uint8: { a: [255, 200, 0, 128, 1], b: [1, 100, 0, 128, 2] }, // 255 + 1 is 0
      bool: BOOL_PAIRS, // True + True is True
    },
  },
  sub: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [5, -2.25, INF, INF, NaN, 1e-30, 0.3], b: [2.5, 2.25, INF, -INF, 1, 1e-30, 0.1] },
      float64: { a: [5, 0.3, INF, INF, NaN, 1e-300, 1], b: [2.5, 0.1, INF, -INF, 1, 1e-300, 2 ** -53] },
      int64: { a: [-2147483647, 5, 2147483646, 0], b: [1, 7, -1, 2147483647] },
      [WIDE]: { a: [INT64_MIN, 5n, INT64_MAX, 0n, TWO32, -TWO32], b: [1n, 7n, -1n, INT64_MIN, 1n, 1n] },
      int32: { a: [INT32_MIN, 5, INT32_MAX, 0], b: [1, 7, -1, INT32_MIN] },
      int16: { a: [-32768, 5, 32767], b: [1, 7, -1] },
      int8: { a: [-128, 5, 127], b: [1, 7, -1] },
      uint8: { a: [0, 5, 255, 100], b: [1, 7, 255, 200] },
    },
  },
  mul: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [1.5, -2, 0, INF, INF, NaN, 1e30, -0, 0.1], b: [2, 3.25, INF, -1, 0, 1, 1e30, 5, 0.3] },
      float64: { a: [1.5, 0.1, 1e200, 1e-200, -0, INF, INF, NaN, 3], b: [2, 0.3, 1e200, 1e-200, 5, -1, 0, 1, 0.1] },
      int64: { a: [65536, -7, 46341, 12345], b: [32767, 6, 46340, -100] },
      // 94906267^2 is just past 2^53: a product of safe integers that is not one.
      [WIDE]: {
        a: [2n ** 62n, 3037000500n, INT64_MIN, TWO32, -(2n ** 31n), 123456789012n, 94906267n],
        b: [4n, 3037000500n, -1n, TWO32, 2n ** 31n, 1000003n, 94906267n],
      },
      int32: { a: [65536, 123456789, -7, INT32_MIN, 46341], b: [65536, 987, 6, -1, 46341] },
      int16: { a: [256, 181, -32768, 300, -7], b: [256, 181, -1, -300, 6] },
      int8: { a: [16, 12, -128, 100, -7], b: [16, 11, -1, 3, 6] },
      uint8: { a: [16, 15, 255, 200, 3], b: [16, 17, 255, 2, 7] },
      bool: BOOL_PAIRS,
    },
  },
  div: {
    kind: 'elementwise',
    inputs: {
      float32: { a: [7, -7, 1, -1, 0, 1e-30, INF, 1, 0.1], b: [2, 2, 0, 0, 0, 1e30, INF, 3, 0.7] },
      float64: { a: [7, -7, 1, -1, 0, 1e-300, INF, 1, 0.1], b: [2, 2, 0, 0, 0, 1e300, INF, 3, 0.7] },
      // Truncation toward zero; division by zero is undefined for integers (PyTorch raises), and so is
      // int32/int64 -2^(bits-1) / -1 (PyTorch's CPU crashes); int16 and int8 wrap it.
      int64: { a: [7, -7, 7, -7, 0, -2147483647, 2147483647, 1, -1], b: [2, 2, -2, -2, 5, 2, -1, 3, 3] },
      [WIDE]: { a: [INT64_MAX, -TWO53 - 1n, 2n ** 62n, INT64_MIN, INT64_MIN, TWO32 + 1n], b: [-1n, 3n, -7n, 7n, 2n, TWO32] },
      int32: { a: [7, -7, 7, -7, 0, INT32_MIN, INT32_MAX, 1, -1], b: [2, 2, -2, -2, 5, 2, -1, 3, 3] },
      int16: { a: [-32768, 7, -7, 32767], b: [-1, 2, 2, -32768] },
      int8: { a: [-128, 127, -7], b: [-1, 2, 2] },
      uint8: { a: [255, 7, 200, 0], b: [2, 3, 255, 9] },
    },
  },
  pow: {
    kind: 'transcendental',
    inputs: {
      float32: {
        a: [2, 2, -2, -2, 0, NaN, 1, 1, -1, 0, -0, 4, 2, 0.5, 2, 10, 10, 1.5, -8, 0.5],
        b: [10, -1, 3, 0.5, 0, 0, NaN, INF, INF, -1, -1, 0.5, -INF, INF, INF, 38, 39, 2.5, 1 / 3, -2],
      },
      float64: {
        a: [2, 2, -2, -2, 0, NaN, 1, -1, 0, -0, 4, 2, 0.5, 10, 1.5, -8, 2, 2, 10],
        b: [10, -1, 3, 0.5, 0, 0, NaN, INF, -1, -1, 0.5, -INF, INF, 39, 2.5, 1 / 3, 1024, -1074, 308],
      },
      // Wrap-around like repeated multiplication in the dtype; negative exponents give 0 unless |base| is 1.
      int64: { a: [2, 3, 0, -2, 2, 3, -1, 1, 7, -3, 2, 1, -1, 0], b: [10, 0, 0, 3, 30, 19, 5, 100, 1, 4, -1, -1, -3, -2] },
      [WIDE]: { a: [2n, 3n, -3n, 2n, 10n, -2n], b: [63n, 40n, 39n, 64n, 19n, 63n] },
      int32: { a: [2, 3, 0, -2, 2, 3, -1, 1, 7, -3], b: [10, 0, 0, 3, 31, 21, 5, 100, 1, 4] },
      int16: { a: [2, 3, -2, 2, 7, -1], b: [15, 10, 15, 16, 2, -3] },
      int8: { a: [2, 3, -2, 2, -1], b: [7, 5, 7, 8, -1] },
      uint8: { a: [2, 3, 255, 0, 1], b: [8, 5, 2, 0, 200] },
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
      const dtype = binaryOutputDType(op, a.dtype);
      h.need(dtype);
      const out = h.kernel('binary', (backend) => backend.binary(op, h.input(a), h.input(b)));
      await h.expectBuffer(`binary ${op} (${a.dtype})`, out, {
        dtype,
        shape: a.view.shape,
        values: binaryReference(op, a.dtype, logical(a), logical(b)),
        kind: dtype === 'float32' || dtype === 'float64' ? kind : 'exact',
      });
    },
  };
}

/**
 * Non-commutative and dtype-changing ops, so swapped operands or a wrong output dtype show; and maximum/minimum
 * on bools, which are the tensor layer's logical or/and (a broadcast mask against a transposed one).
 */
const VIEW_OPS: readonly { op: BinaryOp; dtype: DType; label?: string; values: ValueSource }[] = [
  { op: 'sub', dtype: 'float32', values: dyadic },
  { op: 'sub', dtype: 'float64', values: (count, seed) => dyadic(count, seed).map((v) => v + 2 ** -40) },
  { op: 'sub', dtype: 'int32', values: (count, seed) => integers(count, -1000, 1000, seed) },
  { op: 'sub', dtype: 'int64', values: (count, seed) => integers(count, -1000, 1000, seed) },
  {
    op: 'sub',
    dtype: 'int64',
    label: `sub int64 ${BEYOND_32_BITS}`,
    values: (count, seed) => integers(count, -1000, 1000, seed).map((v) => BigInt(v) * 2n ** 52n + BigInt(v)),
  },
  { op: 'lt', dtype: 'int64', values: (count, seed) => integers(count, -2, 2, seed) },
  { op: 'add', dtype: 'uint8', values: (count, seed) => integers(count, 0, 255, seed) },
  { op: 'mul', dtype: 'int8', values: (count, seed) => integers(count, -128, 127, seed) },
  { op: 'mul', dtype: 'int16', values: (count, seed) => integers(count, -32768, 32767, seed) },
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
    return Object.entries(entry.inputs).map(([key, { a, b }]) => {
      const dtype = dtypeOf(key as TableKey);
      return binaryCase([op, key], op, contiguous(dtype, a, [a.length]), contiguous(dtype, b, [b.length]), entry.kind);
    });
  }),
  ...VIEW_OPS.flatMap(({ op, dtype, label, values }) =>
    binaryVariants(dtype, values).map(({ name, a, b }) => binaryCase(['views', label ?? `${op} ${dtype}`, name], op, a, b, 'elementwise')),
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
