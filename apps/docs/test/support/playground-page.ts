// Driving the playground page in Chromium as a user does: typing into its CodeMirror editor, picking a backend,
// pressing Run and Stop, and reading what the page shows.
import type { Page } from 'playwright-core';

export type PlaygroundState = 'idle' | 'running' | 'done' | 'error' | 'stopped';

/** Opens the playground (with a `#code=…` fragment, if given) and waits for its editor. */
export async function openPlayground(page: Page, baseUrl: string, hash = ''): Promise<void> {
  // Through about:blank, so a new fragment loads the page afresh instead of being a same-page hash change.
  await page.goto('about:blank');
  await page.goto(`${baseUrl}/playground.html${hash}`);
  await page.waitForSelector('.playground[data-ready=true] .cm-content', { timeout: 60_000 });
}

/** Replaces the script by typing it, key by key, into the editor (CodeMirror closes brackets as it goes). */
export async function typeScript(page: Page, lines: readonly string[]): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  for (const [i, line] of lines.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(line);
  }
}

/** The editor's text, line by line, trimmed (CodeMirror indents what is typed inside blocks). */
export async function editorLines(page: Page): Promise<string[]> {
  const text = await page.locator('.cm-content').innerText();
  return text.split('\n').map((line) => line.trim());
}

export async function state(page: Page): Promise<PlaygroundState> {
  return ((await page.getAttribute('.playground', 'data-state')) ?? 'idle') as PlaygroundState;
}

/** Waits until a run is over, and returns how it ended. */
export async function runEnded(page: Page, timeout = 120_000): Promise<PlaygroundState> {
  await page.waitForSelector('.playground[data-state=done], .playground[data-state=error], .playground[data-state=stopped]', { timeout });
  return state(page);
}

/** Picks the backend and presses Run. */
export async function run(page: Page, backend: 'auto' | 'cpu' | 'webgpu'): Promise<void> {
  await page.selectOption('[data-testid=backend]', backend);
  await page.click('[data-testid=run]');
}

export async function outputLines(page: Page): Promise<string[]> {
  const text = (await page.textContent('[data-testid=output]')) ?? '';
  return text === '' ? [] : text.split('\n');
}

export async function errorHeadline(page: Page): Promise<string | null> {
  const error = await page.$('[data-testid=error-headline]');
  return error ? ((await error.textContent()) ?? '').trim() : null;
}

/** The playground's parts, top to bottom, by data-testid (or class). */
export async function layout(page: Page): Promise<string[]> {
  return page.$$eval('.playground > *', (elements) => elements.map((e) => (e as HTMLElement).dataset.testid ?? e.className));
}

/** How long the page takes to paint a frame: a page whose main thread is busy cannot. */
export async function frameDelayMs(page: Page): Promise<number> {
  return page.evaluate(() => {
    const start = performance.now();
    return new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now() - start)));
  });
}
