import type { DType } from '@descent/backend';
import { booleans, dyadic, INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, integers, TWO53 } from '../data.js';
import { broadcast, contiguous, logical, strided, type StridedSpec } from '../layouts.js';
import { whereReference } from '../reference.js';
import { BEYOND_32_BITS, dtypeOf, type ConformanceCase, type PrimitiveSuite, type TableKey } from './case.js';
import type { Value } from '../reference.js';

function whereCase(title: string[], cond: StridedSpec, a: StridedSpec, b: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.kernel('where', (backend) => backend.where(h.input(cond), h.input(a), h.input(b)));
      await h.expectBuffer(`where (${a.dtype})`, out, {
        dtype: a.dtype,
        shape: a.view.shape,
        values: whereReference(logical(cond), logical(a), logical(b)),
        kind: 'exact',
      });
    },
  };
}

const COND = [1, 0, 0, 1, 1, 0];
/** Every dtype (the compiler checks the list), and int64 past 32 bits. */
const VALUES: Record<DType | `int64 ${typeof BEYOND_32_BITS}`, { a: Value[]; b: Value[] }> = {
  // NaN and infinities in the branch not taken must not leak (a kernel computing c*a + (1-c)*b would).
  float32: { a: [1.5, NaN, Infinity, -2, 0.1, -Infinity], b: [NaN, 2.5, -3, Infinity, NaN, 7] },
  float64: { a: [0.1, NaN, Infinity, -2, 1 + 2 ** -52, -Infinity], b: [NaN, 2.5, -3, Infinity, NaN, 5e-324] },
  int64: { a: [INT32_MIN, 1, 2, INT32_MAX, 5, 6], b: [-1, INT32_MAX, -3, -4, -5, INT32_MIN] },
  [`int64 ${BEYOND_32_BITS}`]: { a: [INT64_MIN, 1n, 2n, TWO53 + 1n, 2n ** 32n, 6n], b: [-1n, INT64_MAX, -3n, -4n, -5n, -(2n ** 40n)] },
  int32: { a: [INT32_MIN, 1, 2, INT32_MAX, 5, 6], b: [-1, INT32_MAX, -3, -4, -5, INT32_MIN] },
  int16: { a: [-32768, 1, 2, 32767, 5, 6], b: [-1, 32767, -3, -4, -5, -32768] },
  int8: { a: [-128, 1, 2, 127, 5, 6], b: [-1, 127, -3, -4, -5, -128] },
  uint8: { a: [0, 1, 2, 255, 5, 6], b: [255, 128, 3, 4, 5, 0] },
  bool: { a: [1, 1, 0, 0, 1, 0], b: [0, 0, 1, 1, 0, 1] },
};

const shape = [3, 4];
const ints = (count: number, seed: number) => integers(count, -100, 100, seed);

const whereCases = (): ConformanceCase[] => [
  ...Object.entries(VALUES).map(([key, { a, b }]) =>
    whereCase([key], contiguous('bool', COND, [6]), contiguous(dtypeOf(key as TableKey), a, [6]), contiguous(dtypeOf(key as TableKey), b, [6])),
  ),
  whereCase(
    ['views', 'masked fill: full condition, broadcast scalar, transposed other'],
    contiguous('bool', booleans(12, 41), shape),
    broadcast('float32', [-1], [], shape, 2),
    strided('float32', dyadic(12, 42), shape, { order: [1, 0], offset: 1 }),
  ),
  whereCase(
    ['views', 'broadcast row condition, broadcast column, stepped'],
    broadcast('bool', [1, 0, 0, 1], [1, 4], shape, 1),
    broadcast('int32', ints(3, 43), [3, 1], shape),
    strided('int32', ints(12, 44), shape, { step: 2, offset: 3 }),
  ),
  whereCase(
    ['views', 'transposed condition at an offset'],
    strided('bool', booleans(12, 45), shape, { order: [1, 0], offset: 5 }),
    strided('float32', dyadic(12, 46), shape, { offset: 2 }),
    contiguous('float32', dyadic(12, 47), shape),
  ),
  whereCase(
    ['views', 'int64: broadcast row condition, transposed and broadcast scalar'],
    broadcast('bool', [0, 1, 1, 0], [1, 4], shape, 2),
    strided('int64', ints(12, 51), shape, { order: [1, 0], offset: 1 }),
    broadcast('int64', [-7], [], shape, 3),
  ),
  whereCase(
    ['views', 'int8 and uint8 stepped'],
    strided('bool', booleans(12, 52), shape, { step: 2 }),
    strided('int8', ints(12, 53), shape, { step: 2, offset: 1 }),
    contiguous('int8', ints(12, 54), shape),
  ),
  whereCase(
    ['views', 'float64 transposed condition'],
    strided('bool', booleans(12, 55), shape, { order: [1, 0] }),
    contiguous('float64', dyadic(12, 56).map((v) => v + 2 ** -40), shape),
    strided('float64', dyadic(12, 57), shape, { offset: 2 }),
  ),
  whereCase(
    ['views', '0-d'],
    strided('bool', [1], [], { offset: 1 }),
    strided('int32', [4], [], { offset: 2 }),
    contiguous('int32', [5], []),
  ),
  whereCase(['views', 'empty'], contiguous('bool', [], [0, 3]), contiguous('float32', [], [0, 3]), broadcast('float32', [1, 2, 3], [3], [0, 3])),
  whereCase(
    ['views', 'rank 4, permuted, broadcast and offset'],
    strided('bool', booleans(24, 48), [2, 3, 2, 2], { order: [2, 3, 0, 1] }),
    broadcast('float32', dyadic(6, 49), [3, 1, 2], [2, 3, 2, 2], 1),
    strided('float32', dyadic(24, 50), [2, 3, 2, 2], { offset: 4, step: 2 }),
  ),
];

export const whereSuite: PrimitiveSuite = {
  primitive: 'where',
  probeUses: ['upload'],
  probe: async (h) => {
    const x = contiguous('float32', [1], [1]);
    const out = h.kernel('where', (b) => b.where(h.input(contiguous('bool', [1], [1])), h.input(x), h.input(x)));
    await h.read(out, 'float32', 1);
  },
  cases: whereCases,
};
