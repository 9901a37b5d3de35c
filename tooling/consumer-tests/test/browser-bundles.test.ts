// Browser apps that `import * as torch from '@descent/torch'`, bundled with esbuild and with Vite, with no config:
// the packages' `browser` export conditions swap the Node-only entries for stubs, so no `node:` import reaches a
// bundle. The CPU app then runs in headless Chromium and must print PyTorch's number; the WebGPU app runs where
// Chromium has an adapter (SwiftShader, with --enable-unsafe-webgpu). With CI=true a missing Chromium fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApp, bundlerWarnings, nodeReferences, type Bundle, type Bundler } from './support/bundle-app.js';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium, type Browser } from './support/chromium.js';
import { createConsumerProject } from './support/consumer-project.js';
import { UMBRELLA } from './support/umbrella.js';

const CI = process.env.CI === 'true';
// The bundlers from the registry, at the versions the workspace's pnpm-lock.yaml has (vite, and the esbuild it uses).
const TOOLS = ['esbuild@0.28.2', 'vite@7.3.8'];
const APPS = ['cpu', 'webgpu'] as const;
const BUNDLERS: Bundler[] = ['esbuild', 'vite'];

const runInBrowser = chromiumInstalled() || CI;
if (!runInBrowser) {
  console.warn(`browser-bundles: not running the bundles in Chromium (no ${CHROMIUM_PATH}); enable with bash apps/docs/scripts/install-chromium.sh`);
}

describe("browser apps that import '@descent/torch', bundled with no config", () => {
  const bundles = new Map<string, Bundle>();
  const bundle = (app: string, bundler: Bundler) => bundles.get(`${app} ${bundler}`)!;

  beforeAll(async () => {
    const project = await createConsumerProject('browser-bundles', UMBRELLA, { registry: TOOLS });
    // One at a time: Vite and esbuild each use every core.
    for (const app of APPS) for (const bundler of BUNDLERS) bundles.set(`${app} ${bundler}`, await bundleApp(project, app, bundler));
  }, 240_000);

  describe.each(APPS)('the %s app', (app) => {
    it.each(BUNDLERS)('bundles with %s: no node: import or Node built-in in the output, and no warning', (bundler) => {
      const built = bundle(app, bundler);
      expect(built.scripts.length).toBeGreaterThan(0);
      expect(nodeReferences(built)).toEqual([]);
      expect(bundlerWarnings(built), built.log).toEqual([]);
    });
  });

  describe.runIf(runInBrowser)('in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it.each(BUNDLERS)("the CPU app bundled with %s prints PyTorch's loss.sqrt() 2.3694; torch.save says it is Node-only", async (bundler) => {
      const { lines, pageErrors } = await browser.runApp(bundle('cpu', bundler).directory);
      expect(pageErrors).toEqual([]);
      expect(lines.slice(0, 2)).toEqual(['loss 5.6140', 'loss.sqrt() 2.3694']);
      expect(lines[2]).toMatch(/^torch\.save: torch\.save is Node-only .*encodeSafetensors/);
    });

    it.each(BUNDLERS)('the WebGPU app bundled with %s computes [[7, 10], [15, 22]] on the GPU', async (bundler) => {
      const { lines, pageErrors } = await browser.runApp(bundle('webgpu', bundler).directory);
      expect(pageErrors).toEqual([]);
      const unavailable = lines.find((line) => line.startsWith('webgpu unavailable:'));
      if (unavailable && !CI) {
        console.warn(`browser-bundles: the WebGPU app did not run (${unavailable}); Chromium found no adapter`);
        return;
      }
      expect(lines).toEqual(['device webgpu:0', 'x @ x [[7,10],[15,22]]', 'sum 54']);
    });
  });
});
