// The built site in real headless Chromium: the playground's default script on the CPU and on WebGPU, checked
// against the same script run by Node on the CPU; the playground's editor (CodeMirror), its worker (Stop ends an
// endless loop), its errors (first, with the script's line) and its URL (#code= loads a script, which waits for Run); and
// @descent/backend-testkit's conformance suite against the browser's WebGPU adapter. Needs a built site
// (`pnpm run docs:build`) and Debian's Chromium (scripts/install-chromium.sh). Without them the suite is skipped
// with one line saying how to enable it; with CI=true a missing browser or WebGPU adapter fails instead.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as torch from '@descent/torch';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareNumbers } from '../src/examples/compare-numbers.js';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { formatPredictions, runScript } from '../src/playground/run-script.js';
import { decodeShare, encodeShare } from '../src/playground/share-url.js';
import { browserSuiteCanRun, launchChromium, type Browser } from './support/chromium.js';
import { editorLines, errorHeadline, frameDelayMs, layout, openPlayground, outputLines, run, runEnded, state, typeScript } from './support/playground-page.js';
import { serveStatic, type StaticServer } from './support/static-server.js';

const CI = process.env.CI === 'true';
const DIST = join(DOCS_ROOT, 'dist');
const RESULTS = join(DOCS_ROOT, 'test-results');
const canRun = browserSuiteCanRun(join(DIST, 'playground.html'));

/**
 * Conformance cases SwiftShader's WebGPU (headless Chromium's adapter) fails, and why. WGSL specifies sin and cos
 * to an absolute error of 2^-11 only, where the suite asks for 2e-5 relative. (NaN and infinity, which WGSL lets
 * an implementation ignore, are guarded in the kernels.) Anything failing outside this list fails the test.
 */
const KNOWN_SWIFTSHADER_DEVIATIONS: Record<string, string> = {
  'unary > sin > float32': 'sin accurate to about 2e-4 absolute (WGSL: 2^-11), not 2e-5 relative',
  'unary > cos > float32': 'cos accurate to about 2e-4 absolute (WGSL: 2^-11), not 2e-5 relative',
};

/** What the playground prints for its default script when Node runs it on the CPU. */
async function nodeReference(): Promise<string[]> {
  const source = readFileSync(join(DOCS_ROOT, 'src', 'playground', 'default-script.js'), 'utf8');
  const lines: string[] = [];
  await runScript(source, torch, 'cpu', {
    print: (line) => lines.push(line),
    plot: () => {},
    showPredictions: (predicted, target) => lines.push(...formatPredictions(predicted, target)),
  });
  return lines;
}

describe.runIf(canRun)('the site in Chromium', () => {
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    server = await serveStatic(DIST);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function runPlayground(backend: 'cpu' | 'webgpu'): Promise<{ lines: string[]; label: string; device: string }> {
    await run(page, backend);
    await runEnded(page);
    const error = await errorHeadline(page);
    if (error) throw new Error(`the playground failed on ${backend}: ${error}`);
    return {
      lines: await outputLines(page),
      label: (await page.textContent('[data-testid=backend-label]')) ?? '',
      device: (await page.getAttribute('.playground', 'data-device')) ?? '',
    };
  }

  async function webgpuAdapter(): Promise<string | null> {
    return page.evaluate(async () => {
      const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
      const adapter = await gpu?.requestAdapter();
      return adapter ? `${adapter.info.vendor} ${adapter.info.architecture}`.trim() || 'unnamed adapter' : null;
    });
  }

  it('runs the playground script on the CPU and prints what Node prints', async () => {
    await openPlayground(page, server.url);
    const expected = await nodeReference();
    const cpu = await runPlayground('cpu');
    expect(cpu.device).toBe('cpu');
    expect(cpu.label).toBe('CPU');
    expect(cpu.lines).toEqual(expected);
    expect(expected.join('\n')).toContain('loss.sqrt() 2.3694');
  }, 180_000);

  it('runs the playground script on WebGPU and prints the same numbers', async (context) => {
    const adapter = await webgpuAdapter();
    if (!adapter) {
      if (CI) throw new Error('Chromium has no WebGPU adapter (navigator.gpu.requestAdapter() gave null); CI must test WebGPU');
      context.skip('no WebGPU adapter in this Chromium');
    }
    const expected = await nodeReference();
    const gpu = await runPlayground('webgpu');
    expect(gpu.device).toBe('webgpu');
    expect(gpu.label).toMatch(/^WebGPU \(.+\)$/);
    expect(gpu.lines).toHaveLength(expected.length);
    // GPU sums run in another order than the CPU's: the printed digits may move in the last place.
    expect(compareNumbers(gpu.lines.join('\n'), expected.join('\n'), 1e-4, 1e-3)).toBeNull();
    await page.screenshot({ path: join(RESULTS, 'playground.png'), fullPage: true });
  }, 180_000);

  it('edits the script in CodeMirror, runs it, and keeps it in the URL', async () => {
    await openPlayground(page, server.url);
    expect(await page.$('.playground .cm-editor')).not.toBeNull();
    const typed = ["const x = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });", "print('sum', x.sum().item());", 'print(6 * 7);'];
    await typeScript(page, typed);
    expect(await editorLines(page)).toEqual(typed);
    await run(page, 'cpu');
    expect(await runEnded(page)).toBe('done');
    expect(await outputLines(page)).toEqual(['sum 10', '42']);
    // The address bar carries the script (and the backend), so the link shares it. It is written debounced while the
    // script is typed, so an early hash may hold part of it: wait for the final one.
    await expect
      .poll(async () => decodeShare(new URL(page.url()).hash).catch(() => null), { timeout: 10_000, interval: 200 })
      .toEqual({ source: typed.join('\n'), choice: 'cpu' });
  }, 120_000);

  it('stops an endless loop with Stop, and the page stays usable', async () => {
    await openPlayground(page, server.url);
    await typeScript(page, ["print('started');", 'while (true) {}']);
    await run(page, 'cpu');
    await page.waitForFunction(() => document.querySelector('[data-testid=output]')?.textContent?.includes('started'), undefined, { timeout: 60_000 });
    expect(await state(page)).toBe('running');
    // The loop runs in the worker: the page still paints, and the editor still takes keys.
    expect(await frameDelayMs(page)).toBeLessThan(1_000);
    await page.click('.cm-content');
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' // still typing');
    expect((await editorLines(page)).at(-1)).toBe('while (true) {} // still typing');
    await page.click('[data-testid=stop]');
    expect(await runEnded(page, 10_000)).toBe('stopped');
    expect(await outputLines(page)).toEqual(['started', 'Stopped.']);
    // The next run gets a fresh worker.
    await typeScript(page, ["print('again');"]);
    await run(page, 'cpu');
    expect(await runEnded(page)).toBe('done');
    expect(await outputLines(page)).toEqual(['again']);
  }, 120_000);

  it('shows an error first, with the line of the script it came from', async () => {
    await openPlayground(page, server.url);
    await typeScript(page, ["print('one');", 'const x = torch.ones(2, 3);', 'x.matmul(x);', "print('never');"]);
    await run(page, 'cpu');
    expect(await runEnded(page)).toBe('error');
    expect(await errorHeadline(page)).toBe('Error on line 3: RangeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)');
    expect(await outputLines(page)).toEqual(['one']);
    const parts = await layout(page);
    expect(parts.indexOf('error')).toBeGreaterThan(-1);
    expect(parts.indexOf('error')).toBeLessThan(parts.indexOf('chart'));
    expect(parts.indexOf('error')).toBeLessThan(parts.indexOf('output'));
    // The editor marks the line.
    expect(await page.locator('.cm-error-line').innerText()).toBe('x.matmul(x);');

    // A syntax error: the engine gives no line, the editor's parser finds it.
    await typeScript(page, ["print('fine');", 'const broken = ;']);
    await run(page, 'cpu');
    expect(await runEnded(page)).toBe('error');
    expect(await errorHeadline(page)).toMatch(/^Error on line 2: SyntaxError: /);
  }, 120_000);

  it('loads a script from a #code= link into the editor, and runs it when Run is pressed (never on its own)', async () => {
    const source = "// shared\nprint('from the link');\nprint(torch.arange(4).sum().item());";
    await openPlayground(page, server.url, await encodeShare({ source, choice: 'cpu' }));
    await page.waitForSelector('[data-testid=from-link]');
    expect(await state(page)).toBe('idle');
    expect(await outputLines(page)).toEqual([]);
    expect(await editorLines(page)).toEqual(source.split('\n'));
    await page.click('[data-testid=run]');
    expect(await runEnded(page)).toBe('done');
    expect(await editorLines(page)).toEqual(source.split('\n'));
    expect(await page.inputValue('[data-testid=backend]')).toBe('cpu');
    expect(await outputLines(page)).toEqual(['from the link', '6']);
  }, 120_000);

  it("passes @descent/backend-testkit's conformance suite on the browser's WebGPU", async (context) => {
    await page.goto(`${server.url}/guide/browser-check.html`);
    if (!(await webgpuAdapter())) {
      if (CI) throw new Error('Chromium has no WebGPU adapter; CI must run the conformance suite in the browser');
      context.skip('no WebGPU adapter in this Chromium');
    }
    await page.click('[data-testid=run-conformance]');
    await page.waitForSelector('.conformance[data-state=done], .conformance[data-state=error]', { timeout: 300_000 });
    const error = await page.$('[data-testid=conformance-error]');
    if (error) throw new Error(`the conformance page failed: ${await error.textContent()}`);
    const summary = page.locator('[data-testid=conformance-summary]');
    const passed = Number(await summary.getAttribute('data-passed'));
    const failures = await page.$$eval('[data-testid=conformance-failures] li', (items) => items.map((li) => li.textContent ?? ''));
    await page.screenshot({ path: join(RESULTS, 'browser-check.png'), fullPage: true });

    const unexpected = failures.filter((text) => !Object.keys(KNOWN_SWIFTSHADER_DEVIATIONS).some((path) => text.includes(` > ${path}:`)));
    expect(unexpected, 'conformance failures in the browser beyond the known SwiftShader deviations').toEqual([]);
    // The whole suite ran: hundreds of cases over every primitive.
    expect(passed).toBeGreaterThan(300);
    const fixed = Object.keys(KNOWN_SWIFTSHADER_DEVIATIONS).filter((path) => !failures.some((text) => text.includes(` > ${path}:`)));
    if (fixed.length) console.info(`Now passing in the browser (drop from KNOWN_SWIFTSHADER_DEVIATIONS): ${fixed.join(', ')}`);
  }, 360_000);

  it('raised no errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
