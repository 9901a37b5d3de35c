import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const MB = 1024 * 1024;

interface LoopResult {
  loss: number;
  samples: { step: number; rss: number; arrayBuffers: number }[];
}

describe('CPU memory over a long training loop', { timeout: 240_000 }, () => {
  it('stays flat with no dispose() and no await, on the Wasm kernels and worker threads', async () => {
    // The loop runs in its own process (cpu-memory-loop.mjs): one synchronous stretch of 20,000 steps.
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(new URL('./cpu-memory-loop.mjs', import.meta.url))], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 230_000,
      encoding: 'utf8',
    });
    const { loss, samples } = JSON.parse(stdout) as LoopResult;
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
