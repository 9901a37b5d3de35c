import { contiguousView, type DType, type HostArray, type Operand, type View } from '@descent/backend';
import { afterAll, describe, expect, it } from 'vitest';
import type { GpuBuffer } from '../src/index.js';
import { forceMatmulConfig } from '../src/kernels/matmul-config.js';
import type { MatmulGrid } from '../src/kernels/matmul-plan.js';
import { testBackend } from './adapter.js';

/**
 * Matmul epilogue fusion (src/fusion/epilogue.ts): the elementwise ops reading a pending matmul's product run in
 * the matmul kernel's store step. Fused results equal the unfused path's (fusion off) bit for bit: linear + bias
 * (+ relu), transposed operands, batched and broadcast products, shapes that are no multiple of any tile, the
 * matmul kernels' store steps, and the bookkeeping cases (a product still held, read twice, freed, copied into a view).
 */
const backend = await testBackend();

describe.runIf(backend !== null)('WebGPU matmul epilogue fusion', { timeout: 120_000 }, () => {
  const b = backend as NonNullable<typeof backend>;
  afterAll(() => forceMatmulConfig(null));
  type Op = Operand<GpuBuffer>;
  const host = (dtype: DType, v: readonly number[]): HostArray => (dtype === 'int32' ? Int32Array.from(v) : Float32Array.from(v));
  const whole = (buffer: GpuBuffer, shape: readonly number[] = [buffer.numel]): Op => ({ buffer, view: contiguousView(shape), dtype: buffer.dtype });
  const as = (x: Op, view: View): Op => ({ ...x, view });
  let seed = 1;
  const random = (size: number, dtype: DType = 'float32'): number[] =>
    Array.from({ length: size }, () => {
      seed = (seed * 16807) % 2147483647;
      const u = seed / 2147483647;
      return dtype === 'int32' ? Math.floor(u * 21) - 10 : Math.fround(u * 2 - 1);
    });
  const up = (shape: readonly number[], dtype: DType = 'float32'): Op => {
    const n = shape.reduce((p, s) => p * s, 1);
    return whole(b.upload(host(dtype, random(n, dtype)), dtype), shape);
  };
  const read = async (x: GpuBuffer | Op): Promise<number[]> => {
    const buffer = 'block' in x ? x : x.buffer;
    return Array.from((await b.read(buffer, buffer.dtype, buffer.numel)) as ArrayLike<number>, Number);
  };
  /** `x @ w.t()` as nn.Linear hands it over: x [batch, m, k], w [n, k] read transposed (broadcast over the batch). */
  const linear = (x: Op, w: Op): Op => {
    const [batch, m] = x.view.shape;
    const [n, k] = w.view.shape;
    const product = b.matmul(x, as(w, { shape: [batch, k, n], strides: [0, 1, k], offset: 0 }));
    return whole(product, [batch * m, n]);
  };
  /** `y + bias`, bias [n] broadcast along the rows of y [rows, n]. */
  const addBias = (y: Op, bias: Op): Op => {
    const shape = y.view.shape;
    return whole(b.binary('add', y, as(bias, { shape, strides: [0, 1], offset: 0 })), shape);
  };
  const relu = (y: Op): Op => whole(b.unary('relu', y), y.view.shape);
  /** Dispatches encoded by `fn`, its pending work included. */
  const dispatches = async (fn: () => unknown): Promise<number> => {
    await b.synchronize();
    const before = b.memory().dispatches;
    fn();
    await b.synchronize();
    return b.memory().dispatches - before;
  };
  /** `fn`'s values with fusion on and off (from the same random inputs): they must agree bit for bit. */
  const fusedAndUnfused = async (fn: () => Op): Promise<number[]> => {
    const values: number[][] = [];
    const start = seed;
    for (const enabled of [true, false]) {
      seed = start;
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

  it('linear + bias and linear + bias + relu are one kernel each, with the unfused values', async () => {
    const x = up([1, 37, 19]);
    const w = up([45, 19]);
    const bias = up([45]);
    const fused = await fusedAndUnfused(() => addBias(linear(x, w), bias));
    // Against a float64 reference: the unfused path is the matmul kernel then the add kernel.
    const [xv, wv, bv] = await Promise.all([read(x), read(w), read(bias)]);
    for (let i = 0; i < 37; i++) {
      for (let j = 0; j < 45; j++) {
        let sum = 0;
        for (let p = 0; p < 19; p++) sum += xv[i * 19 + p] * wv[j * 19 + p];
        expect(Math.abs(fused[i * 45 + j] - (sum + bv[j]))).toBeLessThan(1e-5);
      }
    }
    const values = await fusedAndUnfused(() => relu(addBias(linear(x, w), bias)));
    expect(values.some((v) => v === 0) && values.some((v) => v > 0)).toBe(true);
    expect(await dispatches(() => relu(addBias(linear(x, w), bias)))).toBe(1);
    b.fusion.enabled = false;
    expect(await dispatches(() => relu(addBias(linear(x, w), bias)))).toBe(3);
    b.fusion.enabled = true;
  });

  // The store steps that differ: the simple kernel's loops, and the tiled kernel's loop over 8x4 and 8x8 blocks
  // (./matmul-kernels.test.ts runs every configuration without an epilogue).
  for (const config of ['simple', 'tile64x64x8', 'tile128x64'] as const) {
    it(`${config}: odd shapes, transposed and batched operands, in one kernel with the unfused values`, async () => {
      forceMatmulConfig(config);
      try {
        // [2, 131, 33] @ [33, 67] (A transposed in memory, B shared by the batch), + bias, relu, * 0.5 from a fill.
        const a = up([2, 33, 131]);
        const aT = as(a, { shape: [2, 131, 33], strides: [33 * 131, 1, 131], offset: 0 });
        const w = up([33, 67]);
        const bias = up([67]);
        const half = whole(b.alloc(2 * 131 * 67, 'float32'), [2, 131, 67]);
        const chain = (): Op => {
          b.fill(half, 0.5);
          const product = whole(b.matmul(aT, as(w, { shape: [2, 33, 67], strides: [0, 67, 1], offset: 0 })), [2, 131, 67]);
          const biased = whole(b.binary('add', product, as(bias, { shape: [2, 131, 67], strides: [0, 0, 1], offset: 0 })), [2, 131, 67]);
          return whole(b.binary('mul', relu(biased), half), [2, 131, 67]);
        };
        await fusedAndUnfused(chain);
        expect(await dispatches(chain)).toBe(1);
        // Both operands transposed, and a vector-shaped product (the simple kernel's rule).
        await fusedAndUnfused(() => relu(addBias(linear(up([1, 3, 5]), up([70, 5])), up([70]))));
        await fusedAndUnfused(() => whole(b.unary('sigmoid', whole(b.matmul(up([3, 1, 40]), up([3, 40, 1])), [3])), [3]));
      } finally {
        forceMatmulConfig(null);
      }
    });
  }

  it('int32 products wrap as before, then the cluster runs on them', async () => {
    const a = up([1, 9, 13], 'int32');
    const c = up([1, 13, 11], 'int32');
    const k = up([9, 11], 'int32');
    await fusedAndUnfused(() => whole(b.binary('mul', whole(b.matmul(a, c), [9, 11]), k), [9, 11]));
  });

  it('an output split over several dispatches runs its epilogue in each', async () => {
    const host = (b.fusion as unknown as { host: { matmulGrid: MatmulGrid } }).host;
    const saved = host.matmulGrid;
    host.matmulGrid = { ...saved, maxWorkgroups: 2 };
    try {
      const x = up([3, 150, 20]);
      const w = up([270, 20]);
      const bias = up([270]);
      await fusedAndUnfused(() => relu(addBias(linear(x, w), bias)));
    } finally {
      host.matmulGrid = saved;
    }
  });

  it('a product still held is stored too; read twice or through a transpose, it is read from memory', async () => {
    const x = up([1, 21, 18]);
    const w = up([19, 18]);
    const bias = up([19]);
    let product: Op | null = null;
    const held = (): Op => {
      product = linear(x, w);
      return relu(addBias(product, bias));
    };
    await fusedAndUnfused(held);
    const values = await Promise.all([read(held()), read(product as unknown as Op)]);
    b.fusion.enabled = false;
    const reference = await Promise.all([read(held()), read(product as unknown as Op)]);
    b.fusion.enabled = true;
    expect(values).toEqual(reference);
    // Two users: the second reads the stored product. A transposed read: the plain kernel, then the elementwise one.
    const twice = (): Op => {
      const p = linear(x, w);
      const first = relu(p);
      const second = whole(b.unary('neg', p), p.view.shape);
      return whole(b.binary('add', first, second), p.view.shape);
    };
    await fusedAndUnfused(twice);
    const transposed = (): Op => {
      const p = linear(x, w);
      return whole(b.unary('exp', as(p, { shape: [19, 21], strides: [1, 19], offset: 0 })), [19, 21]);
    };
    await fusedAndUnfused(transposed);
    expect(await dispatches(transposed)).toBe(2);
  });

  it('two products in one chain: one joins the kernel, the other is stored first', async () => {
    const p = (): Op => linear(up([1, 17, 9]), up([33, 9]));
    const sum = (): Op => whole(b.binary('add', p(), p()), [17, 33]);
    await fusedAndUnfused(sum);
    expect(await dispatches(sum)).toBe(2);
  });

  it('freed intermediates: the product and the bias sum are computed in the kernel, their memory comes back', async () => {
    await b.synchronize();
    const base = b.memory().allocatedBytes;
    const x = up([1, 23, 29]);
    const w = up([31, 29]);
    const bias = up([31]);
    const chain = (): Op => {
      const product = linear(x, w);
      const biased = addBias(product, bias);
      b.free(product.buffer);
      const out = relu(biased);
      b.free(biased.buffer);
      return out;
    };
    const values: number[][] = [];
    for (const enabled of [true, false]) {
      b.fusion.enabled = enabled;
      let out: Op | null = null;
      expect(await dispatches(() => (out = chain()))).toBe(enabled ? 1 : 3);
      values.push(await read(out as unknown as Op));
      b.free((out as unknown as Op).buffer);
    }
    b.fusion.enabled = true;
    expect(values[0]).toEqual(values[1]);
    for (const t of [x, w, bias]) b.free(t.buffer);
    await b.synchronize();
    expect(b.memory().allocatedBytes).toBe(base);
  });

  it('zero_() then add_(x @ y) stores into the gradient from the matmul kernel; a copy into an operand waits', async () => {
    const grad = up([15, 22]);
    const g = up([1, 15, 40]);
    const h = up([1, 40, 22]);
    // As zero_grad then AccumulateGrad: the pending fill, the out-of-place sum, copied into grad, then freed.
    const accumulate = (): void => {
      b.fill(grad, 0);
      const product = whole(b.matmul(g, h), [15, 22]);
      const sum = whole(b.binary('add', grad, product), [15, 22]);
      b.copy(sum, grad);
      b.free(sum.buffer);
      b.free(product.buffer);
    };
    expect(await dispatches(accumulate)).toBe(1);
    const fused = await read(grad);
    b.fusion.enabled = false;
    accumulate();
    b.fusion.enabled = true;
    expect(fused).toEqual(await read(grad));
    // w = w @ v + 1 into w itself: the matmul reads all of w, so it runs before the store (two kernels).
    const square = (): Op => {
      const w = up([1, 12, 12]);
      const v = up([1, 12, 12]);
      const one = up([1, 12, 12]);
      b.copy(whole(b.binary('add', whole(b.matmul(w, v), [1, 12, 12]), one), [1, 12, 12]), w);
      return w;
    };
    await fusedAndUnfused(square);
  });

  it('after a sync with every value freed or read, nothing is pending and no reader is counted', async () => {
    await b.synchronize();
    expect(b.fusion.idle).toBe(true);
  });
});
