import { numelOf, type DType, type View } from '@descent/backend';
import { booleans, dyadic, INT32_MIN, integers, iota } from '../data.js';
import type { Harness } from '../harness.js';
import { broadcast, contiguous, LAYOUTS, logical, strided, type StridedSpec } from '../layouts.js';
import { toDType, writeView } from '../reference.js';
import type { ConformanceCase, PrimitiveSuite } from './case.js';
import { SPECIAL_VALUES } from './memory.js';

/** A destination: a whole buffer the case uploads (so gaps outside the view keep known values) and a view of it. */
function destination(dtype: DType, size: number, view: View): StridedSpec {
  const backing = dtype === 'bool' ? booleans(size, 7) : integers(size, -50, 50, 7);
  return { dtype, backing, view };
}

/** Checks the whole destination buffer: the view holds `values`, everything else is untouched. */
async function expectWritten(h: Harness, what: string, dst: StridedSpec, buffer: unknown, values: readonly number[]): Promise<void> {
  const expected = writeView(dst.backing, dst.view, values.map((v) => toDType(dst.dtype, v)));
  await h.expectBuffer(what, buffer, { dtype: dst.dtype, shape: [expected.length], values: expected, kind: 'exact' });
}

function fillCase(title: string[], dst: StridedSpec, value: number): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.input(dst, true);
      h.call('fill', (b) => b.fill(out, value));
      await expectWritten(h, `fill(${value})`, dst, out.buffer, new Array<number>(numelOf(dst.view.shape)).fill(value));
    },
  };
}

const FILL_VALUES: Record<DType, readonly number[]> = {
  float32: [2.5, -0.1, NaN, Infinity, -0],
  int32: [-7, INT32_MIN, -2.75],
  bool: [1, 0, 5],
};

const fillCases = (): ConformanceCase[] => [
  ...(['float32', 'int32', 'bool'] as const).flatMap((dtype) =>
    FILL_VALUES[dtype].map((value) => fillCase(['a whole buffer', dtype, `value ${Object.is(value, -0) ? '-0' : value}`], destination(dtype, 5, { shape: [5], strides: [1], offset: 0 }), value)),
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
  ...(['float32', 'int32', 'bool'] as const).map((dtype) =>
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
