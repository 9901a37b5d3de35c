import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { collectUnreachable, initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

/** An ordinary PyTorch loop: a model, an optimizer, a loss; it never awaits, reads or disposes anything. */
function train(device: 'cpu' | 'webgpu', steps: number, onStep: (step: number, loss: torch.Tensor) => void): void {
  torch.manualSeed(0);
  const model = new torch.nn.Sequential(new torch.nn.Linear(128, 128), new torch.nn.ReLU(), new torch.nn.Linear(128, 32)).to(device);
  const optimizer = new torch.optim.SGD(model.parameters(), 0.01);
  const x = torch.randn(64, 128).to(device);
  const y = torch.randn(64, 32).to(device);
  for (let step = 1; step <= steps; step++) {
    optimizer.zeroGrad();
    const loss = torch.nn.functional.mseLoss(model.forward(x), y);
    loss.backward();
    optimizer.step();
    onStep(step, loss);
  }
}

describe.runIf(available)('WebGPU memory in a loop that never awaits', () => {
  it('stays flat over 10,000 training steps with no await and no dispose(), and frees nothing still in use', async () => {
    const losses: torch.Tensor[] = [];
    let maxAllocated = 0;
    let reservedAtStep1000 = 0;
    const before = torch.webgpu.memoryStats().buffersCreated;
    train('webgpu', 10_000, (step, loss) => {
      maxAllocated = Math.max(maxAllocated, torch.webgpu.memoryAllocated());
      if (step === 1000) reservedAtStep1000 = torch.webgpu.memoryReserved();
      if (step % 1000 === 0) losses.push(loss);
    });
    // Each step allocates ~411 KB of tensors (4.1 GB over the loop): the collections at the backend's 64 MB high-water mark
    // keep live memory under it plus one step's worth, and the pool stops growing once it holds that much.
    expect(maxAllocated).toBeLessThan(72 << 20);
    expect(torch.webgpu.memoryReserved()).toBe(reservedAtStep1000);
    expect(torch.webgpu.memoryStats().buffersCreated - before).toBeLessThan(16);
    // The losses kept across every collection read back as the CPU computes them: no live buffer was freed.
    const expected: number[] = [];
    train('cpu', 10_000, (step, loss) => {
      if (step % 1000 === 0) expected.push(loss.item());
    });
    const got = await Promise.all(losses.map((l) => l.itemAsync()));
    got.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 4));
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
