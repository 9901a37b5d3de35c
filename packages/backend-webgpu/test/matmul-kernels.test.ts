import type { DType, HostArray, Operand, View } from '@descent/backend';
import { afterAll, describe, expect, it } from 'vitest';
import type { GpuBuffer } from '../src/index.js';
import { matmulKernel, type KernelContext } from '../src/kernel-dispatch.js';
import { chooseMatmulConfig, forceMatmulConfig, MATMUL_CONFIGS, minMatmulWorkgroups, type MatmulConfigName } from '../src/kernels/matmul-config.js';
import { testBackend } from './adapter.js';

/**
 * Every matmul configuration (src/kernels/matmul-config.ts), forced in turn, against a float64 (or exact integer)
 * reference on shapes that are not multiples of any tile, through strided, transposed, batched and broadcast
 * views, at k = 1 and a long k.
 */
const backend = await testBackend();

type Case = { name: string; batch: number; m: number; k: number; n: number; aT?: boolean; bT?: boolean; aBatch0?: boolean; bBatch0?: boolean; pad?: number };

const CASES: Case[] = [
  { name: 'odd 37x19 @ 19x45', batch: 1, m: 37, k: 19, n: 45 },
  { name: 'two tiles and an edge: 131x33 @ 33x67', batch: 1, m: 131, k: 33, n: 67 },
  { name: 'k = 1', batch: 1, m: 70, k: 1, n: 9 },
  { name: 'long k = 2051', batch: 1, m: 5, k: 2051, n: 7 },
  { name: 'vector: 1x40 @ 40x1', batch: 1, m: 1, k: 40, n: 1 },
  { name: 'transposed B (x @ w.t())', batch: 1, m: 29, k: 35, n: 66, bT: true },
  { name: 'transposed A', batch: 1, m: 66, k: 17, n: 30, aT: true },
  { name: 'both transposed', batch: 2, m: 21, k: 18, n: 19, aT: true, bT: true },
  { name: 'strided rows with an offset', batch: 1, m: 23, k: 21, n: 25, pad: 3 },
  { name: 'batched', batch: 3, m: 19, k: 13, n: 70 },
  { name: 'broadcast B (batch stride 0)', batch: 4, m: 17, k: 9, n: 33, bBatch0: true },
  { name: 'broadcast A (batch stride 0)', batch: 3, m: 33, k: 11, n: 17, aBatch0: true },
];

/** A [batch, rows, cols] view into a buffer: transposed stores each matrix column-major, pad widens each row. */
function layout(batch: number, rows: number, cols: number, t: boolean, batch0: boolean, pad: number): { view: View; size: number } {
  const inner = t ? rows + pad : cols + pad;
  const matrix = (t ? cols : rows) * inner;
  const strides = t ? [batch0 ? 0 : matrix, 1, inner] : [batch0 ? 0 : matrix, inner, 1];
  const offset = pad;
  return { view: { shape: [batch, rows, cols], strides, offset }, size: offset + (batch0 ? 1 : batch) * matrix };
}

const at = (v: View, b: number, i: number, j: number) => v.offset + b * v.strides[0] + i * v.strides[1] + j * v.strides[2];

/** The wrap an integer dtype applies to a result (PyTorch's), or none. */
const WRAP: Partial<Record<DType, (x: number) => number>> = {
  int32: (x) => x | 0,
  int16: (x) => (x << 16) >> 16,
  int8: (x) => (x << 24) >> 24,
  uint8: (x) => x & 255,
};

function hostArray(dtype: DType, values: number[]): HostArray {
  if (dtype === 'float32') return Float32Array.from(values);
  if (dtype === 'int64') return BigInt64Array.from(values, (x) => BigInt(x));
  if (dtype === 'int16') return Int16Array.from(values);
  if (dtype === 'int8') return Int8Array.from(values);
  if (dtype === 'uint8') return Uint8Array.from(values);
  return Int32Array.from(values);
}

describe.runIf(backend !== null)('WebGPU matmul kernels', { timeout: 60_000 }, () => {
  const gpu = backend as NonNullable<typeof backend>;
  afterAll(() => forceMatmulConfig(null));

  /** Random values: floats in [-1, 1), integers in the dtype's range where the products wrap. */
  const random = (dtype: DType, size: number): number[] =>
    Array.from({ length: size }, () => {
      if (dtype === 'float32') return Math.fround(Math.random() * 2 - 1);
      if (dtype === 'uint8') return Math.floor(Math.random() * 256);
      if (dtype === 'int8') return Math.floor(Math.random() * 256) - 128;
      return Math.floor(Math.random() * 2001) - 1000;
    });

  async function check(c: Case, dtype: DType, ctx?: KernelContext): Promise<void> {
    const pad = c.pad ?? 0;
    const la = layout(c.batch, c.m, c.k, c.aT ?? false, c.aBatch0 ?? false, pad);
    const lb = layout(c.batch, c.k, c.n, c.bT ?? false, c.bBatch0 ?? false, pad);
    const av = random(dtype, la.size);
    const bv = random(dtype, lb.size);
    const a: Operand<GpuBuffer> = { buffer: gpu.upload(hostArray(dtype, av), dtype), view: la.view, dtype };
    const b: Operand<GpuBuffer> = { buffer: gpu.upload(hostArray(dtype, bv), dtype), view: lb.view, dtype };
    const out = ctx ? matmulKernel(ctx, a, b) : gpu.matmul(a, b);
    const got = Array.from((await gpu.read(out, dtype, c.batch * c.m * c.n)) as ArrayLike<number | bigint>, Number);
    for (let z = 0; z < c.batch; z++) {
      for (let i = 0; i < c.m; i++) {
        for (let j = 0; j < c.n; j++) {
          let sum = 0;
          let size = 0;
          for (let p = 0; p < c.k; p++) {
            const x = av[at(la.view, z, i, p)] * bv[at(lb.view, z, p, j)];
            sum += x;
            size += Math.abs(x);
          }
          const value = got[(z * c.m + i) * c.n + j];
          const where = `${c.name} ${dtype} [${z}, ${i}, ${j}]`;
          if (dtype === 'float32') {
            // float32 rounding of k products and sums: a few ulp of the sum of magnitudes.
            expect(Math.abs(value - sum), where).toBeLessThanOrEqual(4e-7 * size * Math.sqrt(c.k) + 1e-7);
          } else {
            expect(value, where).toBe((WRAP[dtype] ?? ((x: number) => x))(sum));
          }
        }
      }
    }
    gpu.free(out);
  }

  for (const config of MATMUL_CONFIGS) {
    it(`${config}: float32 on odd, transposed, strided, batched and broadcast shapes`, async () => {
      forceMatmulConfig(config);
      for (const c of CASES) await check(c, 'float32');
    });

    it(`${config}: int32, int16, int8 and uint8 wrap as PyTorch's do; int64 is exact`, async () => {
      forceMatmulConfig(config);
      for (const dtype of ['int32', 'int16', 'int8', 'uint8', 'int64'] as DType[]) {
        await check(CASES[1], dtype);
        await check(CASES[5], dtype);
      }
    });

    it(`${config}: an output split over several dispatches (2 workgroups per dimension)`, async () => {
      forceMatmulConfig(config);
      const kernels = (gpu as unknown as { kernels: KernelContext }).kernels;
      const small: KernelContext = { ...kernels, matmulGrid: { ...kernels.matmulGrid, maxWorkgroups: 2 } };
      await check({ name: 'split', batch: 3, m: 300, k: 20, n: 270, bT: true }, 'float32', small);
    });
  }

  it('empty dims: m = 0 gives an empty result, k = 0 zeros', async () => {
    forceMatmulConfig(null);
    const up = (shape: number[]): Operand<GpuBuffer> => ({
      buffer: gpu.upload(new Float32Array(Math.max(1, shape.reduce((x, y) => x * y, 1))), 'float32'),
      view: { shape, strides: [shape[1] * shape[2], shape[2], 1], offset: 0 },
      dtype: 'float32',
    });
    expect(Array.from((await gpu.read(gpu.matmul(up([1, 0, 3]), up([1, 3, 4])), 'float32', 0)) as Float32Array)).toEqual([]);
    expect(Array.from((await gpu.read(gpu.matmul(up([1, 2, 0]), up([1, 0, 3])), 'float32', 6)) as Float32Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('the rule: vectors and int64 run the simple kernel, large outputs the largest tile', () => {
    forceMatmulConfig(null);
    const gpuMin = minMatmulWorkgroups(false);
    const rule = (dtype: DType, batch: number, m: number, n: number, k: number): MatmulConfigName => chooseMatmulConfig(dtype, batch, m, n, k, gpuMin);
    expect(rule('float32', 1, 1, 1_000_000, 1)).toBe('simple');
    expect(rule('int64', 1, 1024, 1024, 1024)).toBe('simple');
    expect(rule('float32', 1, 1024, 1024, 1024)).toBe('tile128x128');
    expect(rule('float32', 1, 512, 512, 512)).toBe('tile128x64');
    expect(rule('float32', 1, 128, 256, 784)).toBe('tile32x32');
    expect(rule('int8', 8, 256, 256, 9)).toBe('tile128x128');
  });

  it('the rule on a software adapter: a few workgroups fill its CPU threads, so small outputs get 8x8 blocks', () => {
    forceMatmulConfig(null);
    const cpuMin = minMatmulWorkgroups(true);
    expect(cpuMin).toBeLessThan(minMatmulWorkgroups(false));
    expect(chooseMatmulConfig('float32', 1, 128, 256, 784, cpuMin)).toBe('tile128x64');
    expect(chooseMatmulConfig('float32', 1, 256, 256, 128, cpuMin)).toBe('tile128x128');
    expect(chooseMatmulConfig('float32', 1, 256, 784, 128, cpuMin)).toBe('tile128x128');
    expect(chooseMatmulConfig('float32', 1, 16, 16, 16, cpuMin)).toBe('tile32x32');
    expect(chooseMatmulConfig('float32', 1, 2, 256, 16, cpuMin)).toBe('simple');
  });
});
