import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { collectUnreachable, initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

interface LoopResult {
  maxAllocated: number;
  reservedAtStep1000: number;
  reservedAtEnd: number;
  buffersCreated: number;
  got: number[];
  expected: number[];
}

describe.runIf(available)('WebGPU memory in a loop that never awaits', () => {
  it('stays flat over 10,000 training steps with no await and no dispose(), and frees nothing still in use', async () => {
    // The loops run in their own process (webgpu-memory-loop.mjs): each is one synchronous stretch of 10,000 steps
    // of an ordinary PyTorch loop (model, optimizer, loss) that never awaits, reads or disposes anything.
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('./webgpu-memory-loop.mjs', import.meta.url))], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 290_000,
      encoding: 'utf8',
    });
    const r = JSON.parse(stdout.slice(stdout.indexOf('{'))) as LoopResult;
    // Each step allocates ~411 KB of tensors (4.1 GB over the loop): the collections at the backend's 64 MB high-water mark
    // keep live memory under it plus one step's worth, and the pool stops growing once it holds that much.
    expect(r.maxAllocated).toBeLessThan(72 << 20);
    expect(r.reservedAtEnd).toBe(r.reservedAtStep1000);
    expect(r.buffersCreated).toBeLessThan(16);
    // The losses kept across every collection read back as the CPU computes them: no live buffer was freed.
    expect(r.got.length).toBe(10);
    r.got.forEach((value, i) => expect(value).toBeCloseTo(r.expected[i], 4));
  }, 300_000);

  it('emptyCache() returns pooled memory and keeps what live tensors hold', async () => {
    const gpu = { device: 'webgpu' } as const;
    const kept = torch.arange(1000, { dtype: 'float32', ...gpu }).mul(2);
    const big = Array.from({ length: 8 }, () => torch.ones(1024, 1024, gpu));
    await collectUnreachable();
    const live = torch.webgpu.memoryAllocated();
    const reserved = torch.webgpu.memoryReserved();
    for (const t of big) t.dispose();
    expect(torch.webgpu.memoryAllocated()).toBe(live - 8 * 4 * 1024 * 1024);
    expect(torch.webgpu.memoryReserved()).toBe(reserved); // pooled until emptied
    torch.webgpu.emptyCache();
    expect(torch.webgpu.memoryAllocated()).toBe(live - 8 * 4 * 1024 * 1024);
    expect(torch.webgpu.memoryReserved()).toBeLessThanOrEqual(reserved - 8 * 4 * 1024 * 1024);
    expect(((await kept.tolistAsync()) as number[]).slice(0, 4)).toEqual([0, 2, 4, 6]);
    // The allocator starts again from small slabs, and new tensors work.
    expect(await torch.ones(3, gpu).add(kept.narrow(0, 1, 3)).tolistAsync()).toEqual([3, 5, 7]);
  });
});
