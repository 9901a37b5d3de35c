// `pnpm test` on a machine without a WebGPU adapter, Chromium or PyTorch: the suites that need them skip with one line saying
// how to enable them, and with CI=true the same suites fail instead of skipping. Each case runs a real test file of
// the workspace in a child vitest, with the missing piece hidden from it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, userEnv, type RunResult } from './support/run.js';
import { WORKSPACE_ROOT } from './support/workspace.js';

interface Suite {
  readonly name: string;
  readonly directory: string;
  readonly file: string;
  /** Environment that hides what the suite needs. */
  readonly hide: NodeJS.ProcessEnv;
  /** The one line it prints when it skips. */
  readonly skipLine: RegExp;
  /** What it says when CI requires it. */
  readonly ciFailure: RegExp;
}

const SUITES: Suite[] = [
  {
    name: 'WebGPU (no adapter: Vulkan finds no driver)',
    directory: 'packages/torch',
    file: 'test/webgpu-fused.test.ts',
    hide: { DESCENT_WEBGPU_ADAPTER: 'vulkan', VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' },
    skipLine: /WebGPU tests skipped: No WebGPU adapter found .*tooling\/scripts\/install-lavapipe\.sh/,
    ciFailure: /No WebGPU adapter found/,
  },
  {
    name: 'browser (no Chromium)',
    directory: 'apps/docs',
    file: 'test/browser.test.ts',
    hide: { CHROMIUM_PATH: '/nonexistent/chromium' },
    skipLine: /Browser test skipped: no Chromium at \/nonexistent\/chromium: run bash apps\/docs\/scripts\/install-chromium\.sh/,
    ciFailure: /The browser test cannot run in CI: no Chromium/,
  },
  {
    name: 'PyTorch interop (no python with torch)',
    directory: 'packages/torch',
    file: 'test/pytorch-interop.test.ts',
    hide: { DESCENT_PYTHON: '/nonexistent/python3' },
    skipLine: /PyTorch interop tests skipped: .*apt-get install python3-torch/,
    ciFailure: /CI must install it \(bash tooling\/scripts\/install-python-torch\.sh\)/,
  },
];

function runSuite(suite: Suite, ci: boolean): Promise<RunResult> {
  const env = userEnv(suite.hide);
  delete env.CI;
  if (ci) env.CI = 'true';
  return run('pnpm', ['exec', 'vitest', 'run', suite.file], { cwd: join(WORKSPACE_ROOT, suite.directory), env, allowFailure: true });
}

describe.each(SUITES)('the $name suite', (suite) => {
  it('skips on a bare machine, with one line saying how to enable it', async () => {
    const result = await runSuite(suite, false);
    expect(result.code, result.output).toBe(0);
    expect(result.output.split('\n').filter((line) => suite.skipLine.test(line))).toHaveLength(1);
    expect(result.output).toMatch(/skipped/);
  });

  it('fails with CI=true, where it is required', async () => {
    const result = await runSuite(suite, true);
    expect(result.code, result.output).not.toBe(0);
    expect(result.output).toMatch(suite.ciFailure);
  });
});
