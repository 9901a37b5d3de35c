import { contiguousView, type BinaryOp, type DType, type HostArray, type Operand, type View } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import type { GpuBuffer } from '../src/index.js';
import { testBackend } from './adapter.js';

/**
 * Elementwise fusion (src/fusion/): chains of elementwise ops run as one kernel, and give the unfused kernels'
 * values bit for bit: broadcast and strided inputs, bool and NaN, in-place writes, freed intermediates, faults.
 */
const backend = await testBackend();

describe.runIf(backend !== null)('WebGPU elementwise fusion', () => {
  const b = backend as NonNullable<typeof backend>;
  type Op = Operand<GpuBuffer>;
  const host: Partial<Record<DType, (v: readonly number[]) => HostArray>> = {
    float32: (v) => Float32Array.from(v),
    int32: (v) => Int32Array.from(v),
    int64: (v) => BigInt64Array.from(v, (x) => BigInt(x)),
    bool: (v) => Uint8Array.from(v),
  };
  const whole = (buffer: GpuBuffer, shape: readonly number[] = [buffer.numel]): Op => ({ buffer, view: contiguousView(shape), dtype: buffer.dtype });
  const up = (dtype: DType, values: readonly number[], shape: readonly number[] = [values.length]): Op => whole(b.upload(host[dtype]!(values), dtype), shape);
  const as = (x: Op, view: View): Op => ({ ...x, view });
  const read = async (x: GpuBuffer | Op): Promise<number[]> => {
    const buffer = 'block' in x ? x : x.buffer;
    return Array.from((await b.read(buffer, buffer.dtype, buffer.numel)) as ArrayLike<number | bigint>, Number);
  };
  const bin = (op: BinaryOp, x: Op, y: Op, shape = x.view.shape): Op => whole(b.binary(op, x, y), shape);
  /** Dispatches encoded by `fn` (with its pending chains encoded by a sync). */
  const dispatches = async (fn: () => unknown): Promise<number> => {
    await b.synchronize();
    const before = b.memory().dispatches;
    fn();
    await b.synchronize();
    return b.memory().dispatches - before;
  };
  /** `fn`'s values with fusion on and off: they must agree bit for bit (NaN with NaN). */
  const fusedAndUnfused = async (fn: () => Op): Promise<number[]> => {
    const values: number[][] = [];
    for (const enabled of [true, false]) {
      b.fusion.enabled = enabled;
      try {
        values.push(await read(fn()));
      } finally {
        b.fusion.enabled = true;
      }
    }
    expect(values[0]).toEqual(values[1]);
    return values[0];
  };

  it('a*b + a is one kernel, with the unfused values', async () => {
    const a = up('float32', [1.5, -2, 3.25, 1e-3, 7]);
    const c = up('float32', [0.1, 3, -1, 1e3, 2]);
    expect(await fusedAndUnfused(() => bin('add', bin('mul', a, c), a))).toEqual([1.5 * 0.1 + 1.5, -8, 0, 1e-3 * 1e3 + 1e-3, 21].map(Math.fround));
    expect(await dispatches(() => b.binary('add', bin('mul', a, c), a))).toBe(1);
    b.fusion.enabled = false;
    expect(await dispatches(() => b.binary('add', bin('mul', a, c), a))).toBe(2);
    b.fusion.enabled = true;
  });

  it('4-aligned contiguous chains move vec4s; an offset view falls back to scalars; both match unfused', async () => {
    const n = 4099;
    const a = up('float32', Array.from({ length: n }, (_, i) => Math.sin(i) * 10));
    const c = up('float32', Array.from({ length: n }, (_, i) => Math.cos(i * 0.7) * 3));
    const at = (x: Op, offset: number): Op => as(x, { shape: [4096], strides: [1], offset });
    for (const offset of [0, 2, 3]) {
      const values = await fusedAndUnfused(() => {
        const x = at(a, offset);
        return whole(b.unary('tanh', bin('sub', bin('add', bin('mul', x, at(c, 0)), x), whole(b.unary('sigmoid', at(c, offset)), [4096]))), [4096]);
      });
      expect(values.length).toBe(4096);
    }
  });

  it('broadcast, transposed and sliced inputs, casts, comparisons to bool and where, in one chain', async () => {
    const x = up('float32', [1, -2, 3, -4, 5, -6], [2, 3]);
    const row = up('float32', [10, 20, 30]);
    const t = up('float32', [0.5, 1, 1.5, 2, 2.5, 3], [3, 2]);
    const ints = up('int32', [0, 1, 2, 3, 4, 5, 6, 7]);
    const chain = (): Op => {
      const shape = [2, 3];
      const broadcast = as(row, { shape, strides: [0, 1], offset: 0 });
      const transposed = as(t, { shape, strides: [1, 2], offset: 0 });
      const sliced = as(ints, { shape, strides: [3, 1], offset: 2 });
      const s = bin('mul', bin('add', x, broadcast), transposed);
      const asFloat = whole(b.cast(sliced, 'float32'), shape);
      const positive = bin('lt', s, broadcast);
      const chosen = whole(b.where(positive, s, whole(b.unary('neg', asFloat), shape)), shape);
      return whole(b.cast(bin('le', chosen, x), 'int32'), shape);
    };
    // s = (x + row) * t^T = [5.5, 27, 82.5, 6, 50, 72]; where(s < row, s, -ints[2:8]) <= x
    expect(await fusedAndUnfused(chain)).toEqual([0, 1, 1, 0, 1, 1]);
    // 9 ops; every intermediate is held while the chain is built (as in a scope), and counts as a possible store
    // against the kernel's bindings (15 on lavapipe, 7 where a device has 8), so the chain may be cut.
    const count = await dispatches(chain);
    expect(count).toBeLessThanOrEqual(3);
  });

  it('NaN rules are those of the unfused kernels (comparisons false, ne true, max/min NaN, relu and bool of NaN)', async () => {
    const x = up('float32', [NaN, 1, -1, NaN, 0]);
    const y = up('float32', [1, NaN, -2, NaN, 0]);
    const chain = (): Op => {
      const m = bin('maximum', x, y);
      const r = whole(b.unary('relu', m), [5]);
      const truth = whole(b.cast(r, 'bool'), [5]);
      const ne = bin('ne', x, y);
      const eq = bin('eq', r, r);
      return bin('add', bin('add', truth, ne), eq); // bool add is or
    };
    expect(await fusedAndUnfused(chain)).toEqual([1, 1, 1, 1, 1]);
    expect(await fusedAndUnfused(() => bin('minimum', whole(b.unary('exp', x), [5]), y))).toEqual([NaN, NaN, Math.fround(Math.exp(-1) < -2 ? Math.exp(-1) : -2), NaN, 0]);
  });

  it('int64 stays unfused and keeps its overflow check inside a chain', async () => {
    const big = up('int64', [2 ** 31 - 1, 5]);
    const one = up('int64', [1, 1]);
    const f = up('float32', [1, 2]);
    const sum = bin('add', big, one);
    const downstream = bin('mul', whole(b.cast(sum, 'float32'), [2]), f);
    await expect(b.read(downstream.buffer, 'float32', 2)).rejects.toThrow(/int64 overflow/);
  });

  it('a write in place is seen after the pending values that read the old contents', async () => {
    const x = up('float32', [1, 2, 3, 4]);
    const doubled = bin('mul', x, x);
    b.copy(up('float32', [9, 9, 9, 9]), x);
    b.fill(as(x, { shape: [2], strides: [1], offset: 2 }), -1);
    expect(await read(doubled)).toEqual([1, 4, 9, 16]);
    expect(await read(x)).toEqual([9, 9, -1, -1]);
  });

  it('x.add_(y) is one kernel storing into x; zero_() then add_ inlines the zeros', async () => {
    const grad = up('float32', [1, 2, 3]);
    const g = up('float32', [10, 20, 30]);
    // As the tensor layer's add_: the out-of-place sum, copied into grad, then freed.
    const addInPlace = (): void => {
      const sum = bin('add', grad, g);
      b.copy(sum, grad);
      b.free(sum.buffer);
    };
    expect(await dispatches(addInPlace)).toBe(1);
    expect(await read(grad)).toEqual([11, 22, 33]);
    expect(
      await dispatches(() => {
        b.fill(grad, 0);
        addInPlace();
      }),
    ).toBe(1);
    expect(await read(grad)).toEqual([10, 20, 30]);
  });

  it('a copy into an overlapping view of an input reads the values from before the copy', async () => {
    const x = up('float32', [1, 2, 3, 4, 5]);
    const head = as(x, { shape: [4], strides: [1], offset: 0 });
    const tail = as(x, { shape: [4], strides: [1], offset: 1 });
    b.copy(whole(b.unary('neg', head), [4]), tail); // x[1:] = -x[:-1]
    expect(await read(x)).toEqual([1, -1, -2, -3, -4]);
  });

  it('freed intermediates: users still compute them; memory comes back; a freed input is read before reuse', async () => {
    await b.synchronize();
    const base = b.memory().allocatedBytes;
    const a = up('float32', [1, 2, 3]);
    const c = up('float32', [4, 5, 6]);
    const t = bin('mul', a, c);
    const u = bin('add', t, a);
    b.free(t.buffer);
    const scaled = bin('mul', a, a);
    b.free(a.buffer); // pending readers are encoded before its memory can be reused
    const reuse = up('float32', [100, 100, 100]);
    expect(await read(u)).toEqual([5, 12, 21]);
    expect(await read(scaled)).toEqual([1, 4, 9]);
    // A pending value freed unread is still computed (as an eager backend would), then its memory released.
    expect(await dispatches(() => b.free(b.binary('sub', c, reuse)))).toBe(1);
    for (const x of [c.buffer, u.buffer, scaled.buffer, reuse.buffer]) b.free(x);
    await b.synchronize();
    expect(b.memory().allocatedBytes).toBe(base);
  });

  it('a failed input fails the fused result; an unrelated chain reads on', async () => {
    const bad = whole(b.gather(up('float32', [1, 2, 3]), 0, up('int64', [0, 10])), [2]);
    const two = up('float32', [2, 2]);
    const dependent = whole(b.unary('exp', bin('add', bin('mul', bad, two), two)), [2]);
    const unrelated = bin('add', bin('mul', two, two), two);
    await expect(b.read(dependent.buffer, 'float32', 2)).rejects.toThrow('gather: index 10 is out of bounds for dimension 0 with size 3');
    expect(await read(unrelated)).toEqual([6, 6]);
    await b.synchronize();
  });

  it('a chain over more inputs than a kernel binds is cut into kernels, with the same sum', async () => {
    const inputs = Array.from({ length: 12 }, (_, k) => up('float32', [k, 2 * k, -k]));
    const sum = (): Op => inputs.slice(1).reduce((acc, x) => bin('add', acc, x), inputs[0]);
    expect(await fusedAndUnfused(sum)).toEqual([66, 132, -66]);
    const count = await dispatches(sum);
    expect(count).toBeGreaterThan(1);
    expect(count).toBeLessThan(11);
  });

  it('after a sync with every value freed or read, nothing is pending and no reader is counted', async () => {
    await b.synchronize();
    expect(b.fusion.idle).toBe(true);
  });
});
