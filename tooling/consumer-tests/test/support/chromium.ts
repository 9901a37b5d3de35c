import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// The docs site drives the same browser the same way (apps/docs/test/support/chromium.ts); tooling may not import
// from an app, so the few lines are repeated here.

/** Debian's Chromium (bash apps/docs/scripts/install-chromium.sh); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless flags for a closed network, running as root: no sandbox, and none of the background services that
 * stall waiting for the network. --enable-unsafe-webgpu gives a SwiftShader WebGPU adapter with no GPU.
 */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-quic',
];

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface Browser {
  /** Opens the app built into `directory` (its index.html) and returns the lines it printed into #output. */
  runApp(directory: string): Promise<{ lines: string[]; pageErrors: string[] }>;
  close(): Promise<void>;
}

/** Launches Chromium with a new, empty profile that is deleted on close. */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumInstalled()) throw new Error(`no Chromium at ${CHROMIUM_PATH}: run bash apps/docs/scripts/install-chromium.sh`);
  const profile = mkdtempSync(join(tmpdir(), 'descent-consumer-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  return {
    runApp: (directory) => runApp(context, directory),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/**
 * Serves `directory` as http://localhost/ from inside the browser (no server: Playwright answers each request),
 * at localhost because navigator.gpu needs a secure context. The app sets body[data-done] when it has finished.
 */
async function runApp(context: BrowserContext, directory: string): Promise<{ lines: string[]; pageErrors: string[] }> {
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.route('http://localhost/**', async (route) => {
    const file = normalize(join(directory, new URL(route.request().url()).pathname));
    if (!file.startsWith(directory + sep) || !existsSync(file)) return route.fulfill({ status: 404 });
    return route.fulfill({ path: file, contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
  });
  try {
    await page.goto('http://localhost/index.html');
    await page.waitForSelector('body[data-done]', { timeout: 60_000 });
    const output = (await page.textContent('#output')) ?? '';
    return { lines: output.split('\n').filter(Boolean), pageErrors };
  } finally {
    await page.close();
  }
}
