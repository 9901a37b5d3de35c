import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

const MB = 1024 * 1024;

describe('CPU memory over a long training loop', { timeout: 240_000 }, () => {
  it('stays flat with no dispose() and no await, on the Wasm kernels and worker threads', () => {
    // Every step runs threaded matmuls (64x128x128 and up), Wasm elementwise ops, ReLU, where and the fused SGD step.
    torch.setNumThreads(2);
    torch.manualSeed(0);
    const model = new torch.nn.Sequential(new torch.nn.Linear(128, 128), new torch.nn.ReLU(), new torch.nn.Linear(128, 10));
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.01 });
    const x = torch.rand(64, 128);
    const y = torch.randint(0, 10, [64]);
    const samples: { step: number; rss: number; arrayBuffers: number }[] = [];
    let loss = 0;
    for (let step = 1; step <= 20_000; step++) {
      optimizer.zeroGrad();
      const out = torch.nn.functional.crossEntropy(model.forward(x), y);
      out.backward();
      optimizer.step();
      if (step % 2_000 === 0) {
        loss = out.item() as number;
        const usage = process.memoryUsage();
        samples.push({ step, rss: usage.rss, arrayBuffers: usage.arrayBuffers });
      }
    }
    expect(loss).toBeLessThan(2.3); // it trained
    // After warm-up (step 4,000 on) the process does not grow, and live ArrayBuffers stay within what a few
    // steps allocate (2-29 MB here, by when the collector last ran): garbage collection frees what the steps
    // drop, and the kernels' Wasm memory keeps one size. A leak of one activation per step would add 640 MB.
    const steady = samples.filter((s) => s.step >= 4_000);
    const rssGrowth = Math.max(...steady.map((s) => s.rss)) - steady[0].rss;
    expect(rssGrowth / MB, JSON.stringify(samples)).toBeLessThan(64);
    expect(Math.max(...steady.map((s) => s.arrayBuffers)) / MB, JSON.stringify(samples)).toBeLessThan(96);
  });
});
