import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

/** The same op on WebGPU and on the CPU: equal values (within float32 rounding), equal indices. */
async function expectSame(gpu: torch.Tensor, cpu: torch.Tensor, tol = 1e-5): Promise<void> {
  expect(gpu.shape).toEqual(cpu.shape);
  expect(gpu.dtype).toBe(cpu.dtype);
  const a = Array.from((await gpu.dataAsync()) as ArrayLike<number | bigint>, Number);
  const b = Array.from(cpu.dataSync() as ArrayLike<number | bigint>, Number);
  b.forEach((v, i) => {
    const ok = Number.isNaN(v) ? Number.isNaN(a[i]) : a[i] === v || Math.abs(a[i] - v) <= tol * (1 + Math.abs(v));
    if (!ok) throw new Error(`element ${i}: webgpu ${a[i]} vs cpu ${v}`);
  });
}

describe.runIf(available)('tensor ops composed from primitives run on WebGPU with the CPU\'s results', () => {
  torch.manualSeed(5);
  const x = torch.randn(3, 6).mul(3).round();

  it('sort, argsort and topk (the bitonic network where the backend has no argsort kernel)', async () => {
    const g = x.to('webgpu');
    for (const descending of [false, true]) {
      const cpu = x.sort(1, { descending });
      const gpu = g.sort(1, { descending });
      await expectSame(gpu.values, cpu.values);
      await expectSame(gpu.indices, cpu.indices);
    }
    await expectSame(g.argsort(0), x.argsort(0));
    const top = g.topk(2);
    await expectSame(top.values, x.topk(2).values);
  });

  it('cumsum, cumprod, tril, triu, maskedFill, flip, roll, norm and logsumexp', async () => {
    const g = x.to('webgpu');
    await expectSame(g.cumsum(1), x.cumsum(1));
    await expectSame(g.cumprod(0), x.cumprod(0));
    await expectSame(g.tril(), x.tril());
    await expectSame(g.triu(1), x.triu(1));
    await expectSame(g.maskedFill(g.gt(0), -1), x.maskedFill(x.gt(0), -1));
    await expectSame(g.flip(1), x.flip(1));
    await expectSame(g.roll(2, 1), x.roll(2, 1));
    await expectSame(g.norm(2, 1), x.norm(2, 1));
    await expectSame(g.logsumexp(1), x.logsumexp(1));
  });
});
