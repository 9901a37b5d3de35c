// The CPU backend in real headless Chromium, in the playground's Web Worker: a page that is not cross-origin
// isolated has no SharedArrayBuffer, so kernels run on one thread and Descent says why; with COOP/COEP headers
// the worker starts kernel workers of its own and blocks on Atomics while they run. Both train a small MLP to the
// same losses as Node. Needs a built site and Chromium, as browser.test.ts; with CI=true their absence fails.
import { join } from 'node:path';
import * as torch from '@descent/torch';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { runScript } from '../src/playground/run-script.js';
import { encodeShare } from '../src/playground/share-url.js';
import { browserSuiteCanRun, launchChromium, type Browser } from './support/chromium.js';
import { errorHeadline, openPlayground, outputLines, run, runEnded } from './support/playground-page.js';
import { serveStatic, type StaticServer } from './support/static-server.js';

const DIST = join(DOCS_ROOT, 'dist');
const canRun = browserSuiteCanRun(join(DIST, 'playground.html'));

const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Matmuls of 128x300x256 are large enough to be split across threads. */
const SCRIPT = `torch.setNumThreads(2);
// A browser worker's own workers start once it yields; wait for them (with a reason, there are none to wait for).
while (torch.threadingStatus().ready < torch.getNumThreads()) await new Promise((resolve) => setTimeout(resolve, 10));
torch.manualSeed(0);
const model = new torch.nn.Sequential(new torch.nn.Linear(300, 256), new torch.nn.ReLU(), new torch.nn.Linear(256, 10));
const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
const x = torch.rand(128, 300, { device });
const y = torch.randint(0, 10, [128], { device });
for (let step = 0; step < 5; step++) {
  optimizer.zeroGrad();
  const loss = torch.nn.functional.crossEntropy(model.forward(x), y);
  loss.backward();
  optimizer.step();
  print('loss ' + loss.item());
}
const status = torch.threadingStatus();
print('ready ' + status.ready + ' of ' + status.threads + '; ' + (status.reason ?? 'multi-threaded'));`;

async function nodeLosses(): Promise<string[]> {
  const lines: string[] = [];
  await runScript(SCRIPT, torch, 'cpu', { print: (line) => lines.push(line), plot: () => {}, showPredictions: () => {} });
  return lines.filter((line) => line.startsWith('loss '));
}

describe.runIf(canRun)('CPU threads in Chromium', { timeout: 120_000 }, () => {
  let browser: Browser;
  let page: Page;
  const servers: StaticServer[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) await server.close();
  });

  async function trainInPlayground(headers: Record<string, string>): Promise<{ lines: string[]; isolated: boolean }> {
    const server = await serveStatic(DIST, headers);
    servers.push(server);
    await openPlayground(page, server.url, await encodeShare({ source: SCRIPT, choice: 'cpu' }));
    await run(page, 'cpu');
    await runEnded(page);
    const error = await errorHeadline(page);
    if (error) throw new Error(`the playground failed: ${error}`);
    return { lines: await outputLines(page), isolated: await page.evaluate(() => self.crossOriginIsolated) };
  }

  it('trains on one thread in a page without cross-origin isolation, and says why', async () => {
    const { lines, isolated } = await trainInPlayground({});
    expect(isolated).toBe(false);
    expect(lines.filter((line) => line.startsWith('loss '))).toEqual(await nodeLosses());
    expect(lines.at(-1)).toBe('ready 1 of 1; the page is not cross-origin isolated, so it has no SharedArrayBuffer');
  });

  it('trains on two threads in a cross-origin isolated page, to the same losses', async () => {
    const { lines, isolated } = await trainInPlayground(ISOLATION_HEADERS);
    expect(isolated).toBe(true);
    expect(lines.filter((line) => line.startsWith('loss '))).toEqual(await nodeLosses());
    expect(lines.at(-1)).toBe('ready 2 of 2; multi-threaded');
  });
});
