// Float32 sums over millions of terms on WebGPU are no less accurate than PyTorch's CPU (fixture from
// fixtures/gen_sum_accuracy.py: PyTorch 1.13's values and the exact float64 values of the same float32 inputs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

interface Case {
  name: string;
  seed?: number;
  offset?: number;
  torch?: number;
  exact?: number;
  torchSum?: number;
  torchMean?: number;
  torchError: number;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/sum-accuracy.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const byName = (prefix: string): Case[] => fixture.cases.filter((c) => c.name.startsWith(prefix));

/** The generator's data: MurmurHash3's fmix32 of i + seed * 0x9E3779B9, top 24 bits as k / 2^24 + offset. */
function hashData(n: number, seed: number, offset: number): Float32Array {
  const out = new Float32Array(n);
  const start = Math.imul(seed, 0x9e3779b9) >>> 0;
  for (let i = 0; i < n; i++) {
    let h = (start + i) >>> 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    out[i] = (h >>> 8) / 2 ** 24 + offset;
  }
  return out;
}

const relative = (value: number, exact: number): number => Math.abs(value - exact) / Math.abs(exact);
const gpu = { device: 'webgpu' } as const;
const available = await initWebGPU();

describe.runIf(available)('float32 sums on WebGPU are as accurate as PyTorch on the CPU', () => {
  it('sum of 1e7 x 0.1 (a workgroup per output, each thread cascading its share)', async () => {
    const [c] = byName('sum of 1e7');
    const total = (await torch.full([10_000_000], 0.1, gpu).sum().itemAsync()) as number;
    expect(relative(total, c.exact ?? 0)).toBeLessThanOrEqual(c.torchError);
  });

  it('var() of 1e6-long vectors: the mean, then the sum of squared deviations', async () => {
    for (const c of byName('var of 1e6')) {
      const x = torch.tensor(hashData(1_000_000, c.seed ?? 0, c.offset ?? 0), gpu);
      const variance = (await x.var().itemAsync()) as number;
      // PyTorch's CPU var accumulates in double: its error is the final rounding to float32. Ours may round the
      // other way once more, so the bound is PyTorch's error or one float32 rounding (2^-24), whichever is larger.
      expect(relative(variance, c.exact ?? 0), c.name).toBeLessThanOrEqual(Math.max(c.torchError, 2 ** -24));
    }
  });

  it('a 1e6-long dot product ([1, n] @ [n, 1]): the matmul adds the k-loop 16 terms at a time', async () => {
    const [c] = byName('dot of 1e6');
    const a = torch.tensor(hashData(1_000_000, 4, 0), gpu).view(1, -1);
    const b = torch.tensor(hashData(1_000_000, 5, 0), gpu).view(-1, 1);
    const dot = (await a.matmul(b).itemAsync()) as number;
    expect(relative(dot, c.exact ?? 0)).toBeLessThanOrEqual(c.torchError);
  });

  it('sum(-1) of [4096, 1000] (a thread per output) and sum(0) of [100000, 64] (strided workgroups)', async () => {
    const cases: [Case, Float32Array, number[], number][] = [
      [byName('sum(-1)')[0], hashData(4096 * 1000, 6, 0), [4096, 1000], -1],
      [byName('sum(0)')[0], hashData(100_000 * 64, 7, 0), [100_000, 64], 0],
    ];
    for (const [c, data, shape, dim] of cases) {
      const sums = Array.from((await torch.tensor(data, gpu).view(shape).sum(dim).dataAsync()) as Float32Array);
      const [rows, cols] = shape;
      let worst = 0;
      sums.forEach((sum, o) => {
        let exact = 0;
        if (dim === -1) for (let j = 0; j < cols; j++) exact += data[o * cols + j];
        else for (let i = 0; i < rows; i++) exact += data[i * cols + o];
        worst = Math.max(worst, relative(sum, exact));
      });
      expect(worst, c.name).toBeLessThanOrEqual(Math.max(c.torchError, 2 ** -24));
    }
  });
});

describe('the same sums on the CPU', () => {
  it("are PyTorch's bits (the CPU adds in PyTorch's order: packages/backend-cpu/SUM-ORDER.md)", () => {
    const [c] = byName('sum of 1e7');
    expect(torch.full([10_000_000], 0.1).sum().item()).toBe(c.torch);
    const [dot] = byName('dot of 1e6');
    expect(dot.torchError).toBeGreaterThan(1e-5); // PyTorch's own k-loop is serial
  });

  it("float64 sum and mean are PyTorch's doubles, and mean stays float64", () => {
    const [c] = byName('float64 sum and mean');
    const x = torch.tensor(Float64Array.from(hashData(1_000_000, c.seed ?? 0, c.offset ?? 0)));
    expect(x.sum().item()).toBe(c.torchSum);
    const mean = x.mean();
    expect(mean.dtype).toBe('float64');
    expect(mean.item()).toBe(c.torchMean);
  });
});
