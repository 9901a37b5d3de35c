import { DTYPES, numelOf, type DType, type View } from '@descent/backend';
import { booleans, dyadic, INT32_MIN, INT64_MIN, integers, iota, TWO53 } from '../data.js';
import type { Harness } from '../harness.js';
import { broadcast, contiguous, LAYOUTS, logical, strided, type StridedSpec } from '../layouts.js';
import { toDType, writeView, type Value } from '../reference.js';
import { BEYOND_32_BITS, dtypeOf, type ConformanceCase, type PrimitiveSuite, type TableKey } from './case.js';
import { SPECIAL_VALUES } from './memory.js';

/** A destination: a whole buffer the case uploads (so gaps outside the view keep known values) and a view of it. */
function destination(dtype: DType, size: number, view: View): StridedSpec {
  const values = dtype === 'bool' ? booleans(size, 7) : integers(size, -50, 50, 7);
  return { dtype, backing: values.map((v) => toDType(dtype, v)), view };
}

/** Checks the whole destination buffer: the view holds `values`, everything else is untouched. */
async function expectWritten(h: Harness, what: string, dst: StridedSpec, buffer: unknown, values: readonly Value[]): Promise<void> {
  const expected = writeView(dst.backing, dst.view, values.map((v) => toDType(dst.dtype, v)));
  await h.expectBuffer(what, buffer, { dtype: dst.dtype, shape: [expected.length], values: expected, kind: 'exact' });
}

function fillCase(title: string[], dst: StridedSpec, value: Value): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.input(dst, true);
      h.call('fill', (b) => b.fill(out, value));
      await expectWritten(h, `fill(${value})`, dst, out.buffer, new Array<Value>(numelOf(dst.view.shape)).fill(value));
    },
  };
}

/**
 * Values per dtype, converted as `fill_` converts them: float32 rounds, integers truncate toward zero (uint8 -1 is
 * 255, as PyTorch's fill_ accepts it), bool is non-zero; int64 past 2^53 comes as a bigint.
 */
const FILL_VALUES: Record<TableKey & (DType | `int64 ${typeof BEYOND_32_BITS}`), readonly Value[]> = {
  float32: [2.5, -0.1, NaN, Infinity, -0],
  float64: [0.1, -0, NaN, -Infinity, 1e300],
  int64: [-7, -2.75, 2147483647],
  [`int64 ${BEYOND_32_BITS}`]: [2 ** 53, TWO53 + 1n, 2n ** 60n + 1n, INT64_MIN],
  int32: [-7, INT32_MIN, -2.75],
  int16: [-7, -32768, 32767, -2.75],
  int8: [-128, 127, -2.75],
  uint8: [255, 0, 128.5, -1],
  bool: [1, 0, 5],
};

const fillCases = (): ConformanceCase[] => [
  ...Object.entries(FILL_VALUES).flatMap(([key, values]) =>
    values.map((value) =>
      fillCase(
        ['a whole buffer', key, `value ${Object.is(value, -0) ? '-0' : value}`],
        destination(dtypeOf(key as TableKey), 5, { shape: [5], strides: [1], offset: 0 }),
        value,
      ),
    ),
  ),
  {
    title: ['after alloc'],
    uses: ['alloc'],
    run: async (h) => {
      const buffer = h.alloc(7, 'float32');
      h.call('fill', (b) => b.fill({ buffer, view: { shape: [7], strides: [1], offset: 0 }, dtype: 'float32' }, 3));
      await h.expectBuffer('fill(alloc(7), 3)', buffer, { dtype: 'float32', shape: [7], values: new Array(7).fill(3), kind: 'exact' });
    },
  },
  ...LAYOUTS.slice(1).map((layout) => {
    const spec = strided('float32', iota(6), [2, 3], layout.options(2));
    return fillCase(['a strided view', layout.name], destination('float32', spec.backing.length, spec.view), 9);
  }),
  fillCase(['a column of a matrix'], destination('int32', 12, { shape: [3], strides: [4], offset: 1 }), 4),
  fillCase(['a 0-d view at an offset'], destination('float32', 8, { shape: [], strides: [], offset: 5 }), -1.5),
  fillCase(['an empty view'], destination('float32', 4, { shape: [2, 0], strides: [2, 1], offset: 1 }), 8),
  fillCase(['a rank-4 view with permuted, stepped strides'], destination('int32', 200, { shape: [2, 3, 2, 2], strides: [2, 60, 1, 20], offset: 7 }), 6),
  fillCase(['a bool view with gaps'], destination('bool', 10, { shape: [5], strides: [2], offset: 0 }), 0),
  fillCase(['an int64 column of a matrix'], destination('int64', 12, { shape: [3], strides: [4], offset: 2 }), -9),
  fillCase([`an int64 view with gaps ${BEYOND_32_BITS}`], destination('int64', 10, { shape: [2, 2], strides: [1, 4], offset: 1 }), -(2n ** 40n) - 3n),
  fillCase(['a float64 transposed view'], destination('float64', 8, { shape: [2, 3], strides: [1, 2], offset: 1 }), 0.1),
  fillCase(['a uint8 stepped view'], destination('uint8', 9, { shape: [3], strides: [3], offset: 0 }), 200),
];

function copyCase(title: string[], src: StridedSpec, dst: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const source = h.input(src);
      const target = h.input(dst, true);
      h.call('copy', (b) => b.copy(source, target));
      await expectWritten(h, 'copy', dst, target.buffer, logical(src));
    },
  };
}

const dense = (dtype: DType, shape: readonly number[]): StridedSpec =>
  destination(dtype, numelOf(shape), { shape: [...shape], strides: contiguous(dtype, iota(numelOf(shape)), shape).view.strides, offset: 0 });

function permutedDestination(dtype: DType, shape: readonly number[], order: readonly number[], offset: number): StridedSpec {
  const { backing, view } = strided(dtype, iota(numelOf(shape)), shape, { order, offset });
  return destination(dtype, backing.length, view);
}

const copyCases = (): ConformanceCase[] => [
  ...DTYPES.map((dtype) =>
    copyCase(['contiguous', dtype], contiguous(dtype, SPECIAL_VALUES[dtype], [SPECIAL_VALUES[dtype].length]), dense(dtype, [SPECIAL_VALUES[dtype].length])),
  ),
  ...LAYOUTS.slice(1).map((layout) =>
    copyCase(['from a strided source', layout.name], strided('float32', dyadic(24), [2, 3, 4], layout.options(3)), dense('float32', [2, 3, 4])),
  ),
  ...LAYOUTS.slice(1).map((layout) => {
    const { backing, view } = strided('int32', iota(12), [3, 4], layout.options(2));
    return copyCase(['into a strided destination', layout.name], contiguous('int32', integers(12, -9, 9, 3), [3, 4]), destination('int32', backing.length, view));
  }),
  copyCase(['a broadcast scalar into a column'], broadcast('float32', [2.5], [], [3], 2), destination('float32', 12, { shape: [3], strides: [4], offset: 1 })),
  copyCase(['a broadcast row into a matrix'], broadcast('int32', [1, 2, 3, 4], [1, 4], [3, 4], 1), dense('int32', [3, 4])),
  copyCase(
    ['into a sub-block of a matrix'],
    contiguous('float32', [1, 2, 3, 4], [2, 2]),
    destination('float32', 16, { shape: [2, 2], strides: [4, 1], offset: 5 }),
  ),
  copyCase(
    ['rank 4, permuted source into a permuted destination'],
    strided('float32', dyadic(48, 5), [2, 3, 4, 2], { order: [2, 0, 3, 1], offset: 2 }),
    permutedDestination('float32', [2, 3, 4, 2], [1, 3, 0, 2], 4),
  ),
  copyCase(['bool through strided views'], strided('bool', booleans(6, 2), [2, 3], { order: [1, 0] }), destination('bool', 14, { shape: [2, 3], strides: [6, 2], offset: 1 })),
  copyCase(['0-d at offsets'], strided('int32', [-42], [], { offset: 3 }), destination('int32', 5, { shape: [], strides: [], offset: 4 })),
  copyCase(
    ['int64 from a transposed source into a column'],
    strided('int64', integers(6, -1e6, 1e6, 8), [2, 3], { order: [1, 0], offset: 1 }),
    destination('int64', 16, { shape: [2, 3], strides: [8, 2], offset: 1 }),
  ),
  copyCase(
    [`int64 ${BEYOND_32_BITS} through strided views`],
    strided('int64', integers(6, -1e6, 1e6, 9).map((v) => BigInt(v) * 2n ** 41n - 1n), [3, 2], { step: 2, offset: 2 }),
    destination('int64', 14, { shape: [3, 2], strides: [1, 5], offset: 3 }),
  ),
  copyCase(['a broadcast int64 scalar into a row, beyond 32 bits'], broadcast('int64', [TWO53 + 7n], [], [4], 1), destination('int64', 6, { shape: [4], strides: [1], offset: 1 })),
  copyCase(['float64 from a stepped source'], strided('float64', dyadic(6, 10).map((v) => v + 2 ** -50), [6], { step: 3 }), dense('float64', [6])),
  copyCase(['int8 into a transposed destination'], contiguous('int8', integers(6, -128, 127, 11), [2, 3]), permutedDestination('int8', [2, 3], [1, 0], 2)),
  copyCase(['uint8 and int16 rank 3'], strided('uint8', integers(8, 0, 255, 12), [2, 2, 2], { order: [2, 0, 1] }), dense('uint8', [2, 2, 2])),
  copyCase(['int16 from a broadcast row'], broadcast('int16', [-32768, 32767, 5], [1, 3], [2, 3], 1), dense('int16', [2, 3])),
  copyCase(['an empty view'], contiguous('float32', [], [0, 3]), destination('float32', 4, { shape: [0, 3], strides: [3, 1], offset: 0 })),
];

export const fillSuite: PrimitiveSuite = {
  primitive: 'fill',
  probeUses: ['upload'],
  probe: async (h) => {
    const out = h.input(contiguous('float32', [0], [1]), true);
    h.call('fill', (b) => b.fill(out, 1));
    await h.read(out.buffer, 'float32', 1);
  },
  cases: fillCases,
};

export const copySuite: PrimitiveSuite = {
  primitive: 'copy',
  probeUses: ['upload'],
  probe: async (h) => {
    const dst = h.input(contiguous('float32', [0], [1]), true);
    h.call('copy', (b) => b.copy(h.input(contiguous('float32', [1], [1])), dst));
    await h.read(dst.buffer, 'float32', 1);
  },
  cases: copyCases,
};
