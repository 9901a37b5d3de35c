import { contiguousView, DTYPES, supportedDTypes, type DType, type Operand } from '@descent/backend';
import { INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN, iota, TWO53 } from '../data.js';
import { toHostArray, type Harness } from '../harness.js';
import { contiguous } from '../layouts.js';
import { toDType, type Value } from '../reference.js';
import { BEYOND_32_BITS, dtypeOf, type ConformanceCase, type PrimitiveSuite, type TableKey } from './case.js';

/** Values that survive a round trip bit for bit, the awkward ones included, per dtype (and int64 past 32 bits). */
export const SPECIAL_VALUES: Record<DType | `int64 ${typeof BEYOND_32_BITS}`, readonly Value[]> = {
  float32: [1.5, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38, -1e-30, 1.401298464324817e-45, 0.1],
  float64: [1.5, -0, NaN, Infinity, -Infinity, 1.7976931348623157e308, -1e-300, 5e-324, 0.1, 1 + 2 ** -52],
  int64: [INT32_MIN, INT32_MAX, -1, 0, 123456789],
  [`int64 ${BEYOND_32_BITS}`]: [INT64_MIN, INT64_MAX, -1n, TWO53 + 1n, -(2n ** 32n), 2n ** 32n - 1n],
  int32: [INT32_MIN, INT32_MAX, -1, 0, 123456789],
  int16: [-32768, 32767, -1, 0, 12345],
  int8: [-128, 127, -1, 0, 42],
  uint8: [0, 255, 128, 127, 1],
  bool: [0, 1, 1, 0, 1],
};

function operandOf(buffer: unknown, dtype: DType, shape: readonly number[]): Operand<unknown> {
  return { buffer, view: contiguousView(shape), dtype };
}

async function expectValues(h: Harness, what: string, buffer: unknown, dtype: DType, values: readonly Value[]): Promise<void> {
  const expected = values.map((v) => toDType(dtype, v));
  await h.expectBuffer(what, buffer, { dtype, shape: [values.length], values: expected, kind: 'exact' });
}

/** Element sizes of 1 and 2 bytes: lengths that leave part of a 4-byte word. */
const SHORT_DTYPES = ['bool', 'uint8', 'int8', 'int16'] as const;

const uploadCases = (): ConformanceCase[] => [
  ...Object.entries(SPECIAL_VALUES).map(([key, values]) => ({
    title: ['round trip', key],
    run: async (h: Harness) => {
      const dtype = dtypeOf(key as TableKey);
      await expectValues(h, 'read(upload(x))', h.upload(dtype, values), dtype, values);
    },
  })),
  ...SHORT_DTYPES.flatMap((dtype) =>
    [1, 3, 5, 7, 100_003].map((length) => ({
      title: ['lengths that are not a multiple of 4 bytes', `${length} ${dtype}`],
      run: async (h: Harness) => {
        const values = iota(length).map((i) => (dtype === 'bool' ? (i % 3 === 0 ? 1 : 0) : (i % 251) - 100));
        await expectValues(h, 'read(upload(x))', h.upload(dtype, values), dtype, values);
      },
    })),
  ),
  {
    title: ['refuses the dtypes the backend does not declare'],
    run: async (h) => {
      const supported = supportedDTypes(h.backend);
      const refused = DTYPES.filter((dtype) => !supported.includes(dtype));
      if (refused.length === 0) return h.skip(`backend '${h.backendName}' stores every dtype (Backend.dtypes is unset or complete)`);
      for (const dtype of refused) {
        let buffer: unknown;
        try {
          buffer = h.call('upload', (b) => b.upload(toHostArray(dtype, [1, 0]), dtype));
        } catch {
          continue; // refused, as it should be
        }
        h.free(buffer);
        throw new Error(`upload of ${dtype}, which Backend.dtypes leaves out, returned a buffer instead of throwing`);
      }
    },
  },
  {
    title: ['a large float32 buffer'],
    run: async (h) => {
      const values = iota(100_003).map((i) => i * 0.5 - 7);
      await expectValues(h, 'read(upload(x))', h.upload('float32', values), 'float32', values);
    },
  },
  {
    title: ['copies the host data'],
    run: async (h) => {
      const host = Float32Array.from([1, 2, 3]);
      const buffer = h.call('upload', (b) => b.upload(host, 'float32'));
      host[0] = 99;
      await expectValues(h, 'upload after changing the host array', buffer, 'float32', [1, 2, 3]);
    },
  },
  {
    title: ['an empty array'],
    run: async (h) => {
      await expectValues(h, 'read(upload([]))', h.upload('float32', []), 'float32', []);
    },
  },
];

const readCases = (): ConformanceCase[] => [
  {
    title: ['the first numel elements'],
    run: async (h) => {
      const buffer = h.upload('int32', [5, 6, 7, 8, 9, 10]);
      await expectValues(h, 'read(buffer, 4)', buffer, 'int32', [5, 6, 7, 8]);
    },
  },
  {
    title: ['returns a copy the caller may change'],
    run: async (h) => {
      const buffer = h.upload('float32', [1, 2, 3]);
      const first = await h.call('read', (b) => b.read(buffer, 'float32', 3));
      first[0] = 42;
      await expectValues(h, 'a second read', buffer, 'float32', [1, 2, 3]);
    },
  },
  {
    title: ['zero elements'],
    run: async (h) => {
      await expectValues(h, 'read(buffer, 0)', h.upload('int32', [1, 2]), 'int32', []);
    },
  },
  {
    title: ['observes earlier kernels in call order'],
    uses: ['unary', 'fill', 'binary'],
    run: async (h) => {
      const x = h.input(contiguous('float32', [1, 2, 3], [3]), true);
      const negated = h.kernel('unary', (b) => b.unary('neg', x));
      h.call('fill', (b) => b.fill(x, 0)); // after neg was enqueued, so neg must still see 1, 2, 3
      const sum = h.kernel('binary', (b) => b.binary('add', operandOf(negated, 'float32', [3]), x));
      await expectValues(h, 'neg(x) + x, x zeroed after neg', sum, 'float32', [-1, -2, -3]);
      await expectValues(h, 'x after fill', x.buffer, 'float32', [0, 0, 0]);
    },
  },
  {
    title: ['readSync, when present, agrees with read'],
    uses: ['unary'],
    run: async (h) => {
      const readSync = h.backend.readSync?.bind(h.backend);
      if (!readSync) return h.skip('the backend has no readSync');
      const x = h.input(contiguous('int32', [4, -5, 6], [3]));
      const out = h.kernel('unary', (b) => b.unary('neg', x));
      const host = Array.from<Value>(readSync(out, 'int32', 3));
      if (host.join() !== '-4,5,-6') throw new Error(`readSync(neg([4, -5, 6])) returned [${host.join(', ')}]`);
      await expectValues(h, 'read', out, 'int32', [-4, 5, -6]);
    },
  },
  {
    title: ['synchronize, when present, resolves'],
    uses: ['unary'],
    run: async (h) => {
      const synchronize = h.backend.synchronize?.bind(h.backend);
      if (!synchronize) return h.skip('the backend has no synchronize');
      const out = h.kernel('unary', (b) => b.unary('abs', h.input(contiguous('float32', [-2], [1]))));
      await synchronize();
      await expectValues(h, 'abs after synchronize', out, 'float32', [2]);
    },
  },
];

const allocCases = (): ConformanceCase[] => [
  ...DTYPES.map((dtype: DType) => ({
    title: ['a buffer read can read', dtype],
    run: async (h: Harness) => {
      await h.read(h.alloc(6, dtype), dtype, 6); // contents are unspecified; only the type and length are checked
    },
  })),
  {
    title: ['zero elements'],
    run: async (h) => {
      await h.read(h.alloc(0, 'float32'), 'float32', 0);
    },
  },
  {
    title: ['distinct buffers'],
    uses: ['fill'],
    run: async (h) => {
      const a = h.alloc(4, 'int32');
      const b = h.alloc(4, 'int32');
      h.call('fill', (backend) => backend.fill(operandOf(a, 'int32', [4]), 1));
      h.call('fill', (backend) => backend.fill(operandOf(b, 'int32', [4]), 2));
      await expectValues(h, 'first allocation', a, 'int32', [1, 1, 1, 1]);
      await expectValues(h, 'second allocation', b, 'int32', [2, 2, 2, 2]);
    },
  },
];

const freeCases = (): ConformanceCase[] => [
  {
    title: ['leaves other buffers intact'],
    run: async (h) => {
      const kept = h.upload('float32', [1, 2, 3]);
      const dropped = h.upload('float32', [4, 5, 6]);
      h.free(dropped);
      await expectValues(h, 'a live buffer after freeing another', kept, 'float32', [1, 2, 3]);
    },
  },
  {
    title: ['a freed buffer’s memory is not seen by the next upload'],
    run: async (h) => {
      h.free(h.upload('int32', [1, 2, 3, 4, 5, 6, 7, 8]));
      await expectValues(h, 'upload after free', h.upload('int32', [9, 10, 11, 12, 13, 14, 15, 16]), 'int32', [9, 10, 11, 12, 13, 14, 15, 16]);
    },
  },
  {
    title: ['an input freed right after its kernel was enqueued'],
    uses: ['unary', 'binary'],
    run: async (h) => {
      const x = h.input(contiguous('float32', [1, -2, 3], [3]), true);
      const y = h.input(contiguous('float32', [10, 20, 30], [3]), true);
      const negated = h.kernel('unary', (b) => b.unary('neg', x));
      const sum = h.kernel('binary', (b) => b.binary('add', x, y));
      h.free(x.buffer);
      h.free(y.buffer);
      h.upload('float32', [7, 7, 7]); // may reuse the freed memory
      await expectValues(h, 'neg(x) with x freed', negated, 'float32', [-1, 2, -3]);
      await expectValues(h, 'x + y with both freed', sum, 'float32', [11, 18, 33]);
    },
  },
  {
    title: ['an empty buffer'],
    run: async (h) => {
      h.free(h.upload('bool', []));
    },
  },
];

export const uploadSuite: PrimitiveSuite = {
  primitive: 'upload',
  probeUses: [],
  probe: async (h) => void h.upload('float32', [1]),
  cases: uploadCases,
};

export const readSuite: PrimitiveSuite = {
  primitive: 'read',
  probeUses: ['upload'],
  probe: async (h) => void (await h.read(h.upload('float32', [1]), 'float32', 1)),
  cases: readCases,
};

export const allocSuite: PrimitiveSuite = {
  primitive: 'alloc',
  probeUses: [],
  probe: async (h) => void h.alloc(1, 'float32'),
  cases: allocCases,
};

export const freeSuite: PrimitiveSuite = {
  primitive: 'free',
  probeUses: ['upload'],
  probe: async (h) => h.free(h.upload('float32', [1])),
  cases: freeCases,
};
