import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (scripts/install-chromium.sh); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless flags for a closed network, running as root: no sandbox, and none of the background services that
 * stall waiting for the network. --enable-unsafe-webgpu gives a SwiftShader WebGPU adapter with no GPU.
 */
export const CHROMIUM_ARGS = [
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

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** How to get the browser test running, in the one line a skip prints. */
export const ENABLE_HINT = 'bash apps/docs/scripts/install-chromium.sh';

/**
 * Whether a browser suite can run: it needs Chromium and the built page it opens. Otherwise, with `ci` it fails
 * (throws: CI must run it), and without it the suite is skipped with one line on the console saying how to enable
 * it. `warn` is where that line goes (console.warn, or a list in the tests of this function).
 */
export function browserSuiteCanRun(
  builtPage: string,
  { ci = process.env.CI === 'true', chromium = CHROMIUM_PATH, warn = console.warn }: { ci?: boolean; chromium?: string; warn?: (line: string) => void } = {},
): boolean {
  const why = !existsSync(chromium)
    ? `no Chromium at ${chromium}: run ${ENABLE_HINT}`
    : !existsSync(builtPage)
      ? `no built site (${builtPage}): run pnpm --filter @descent/docs run docs:build`
      : null;
  if (why === null) return true;
  if (ci) throw new Error(`The browser test cannot run in CI: ${why}.`);
  warn(`Browser test skipped: ${why}.`);
  return false;
}

/** Launches Chromium with a new, empty profile that is deleted on close. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'descent-docs-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
