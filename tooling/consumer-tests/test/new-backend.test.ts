import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRIMITIVES } from '@descent/backend-testkit';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { run, userEnv, type RunResult } from './support/run.js';
import { WORKSPACE_ROOT, copyBuiltOutputs, copyWorkspace } from './support/workspace.js';

interface AssertionResult {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

interface JsonReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly testResults: { readonly status: string; readonly message: string; readonly assertionResults: AssertionResult[] }[];
}

const NAME = 'my-accel';
const PACKAGE = `@descent/backend-${NAME}`;
// The skeleton keeps memory on the host so the suite can reach every kernel; each kernel is left to write.
const MEMORY = ['upload', 'read', 'alloc', 'free'];
const KERNELS = PRIMITIVES.filter((primitive) => !MEMORY.includes(primitive));

describe('pnpm new-backend, in a temporary copy of the repository', () => {
  let root: string;
  let packageDirectory: string;
  let generated: RunResult;

  beforeAll(async () => {
    root = join(inject('scratch'), 'new-backend');
    mkdirSync(root);
    copyWorkspace(root);
    copyBuiltOutputs(root); // the skeleton's dependencies, as `pnpm build` left them in the workspace
    packageDirectory = join(root, 'packages', `backend-${NAME}`);
    generated = await run('pnpm', ['new-backend', NAME], { cwd: root, env: userEnv() });
    const { stdout: store } = await run('pnpm', ['store', 'path'], { cwd: WORKSPACE_ROOT, env: userEnv() });
    // From the store the workspace was installed from; metadata a fresh cache lacks comes from the registry.
    await run('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile', '--store-dir', store.trim(), '--filter', `${PACKAGE}...`], {
      cwd: root,
      env: userEnv(),
      timeoutMs: 120_000,
    });
  });

  it('creates the package skeleton, wired to the testkit, and gives it a layer', () => {
    expect(generated.stdout).toContain(`Created ${PACKAGE} in packages/backend-${NAME}`);
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'src/index.ts', `src/${NAME}-backend.ts`, 'test/conformance.test.ts', 'README.md', 'CHANGELOG.md']) {
      expect(existsSync(join(packageDirectory, file)), file).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8'));
    expect(manifest.name).toBe(PACKAGE);
    expect(manifest.dependencies).toEqual({ '@descent/backend': 'workspace:^' });
    expect(manifest.devDependencies).toEqual({ '@descent/backend-testkit': 'workspace:*' });
    expect(readFileSync(join(packageDirectory, 'test/conformance.test.ts'), 'utf8')).toContain(
      "runConformance({ name: 'my-accel', createBackend: () => new MyAccelBackend() });",
    );
    expect(readFileSync(join(root, 'tooling/scripts/check-layers.mjs'), 'utf8')).toContain(`'${PACKAGE}': { layer: 1, mayImport: ['@descent/backend'] },`);
  });

  it('builds with tsc, type-checks with its test, and passes lint, publint and the layering check', async () => {
    await Promise.all([
      run('pnpm', ['run', 'build'], { cwd: packageDirectory, env: userEnv() }),
      run('pnpm', ['run', 'typecheck'], { cwd: packageDirectory, env: userEnv() }),
      run('pnpm', ['run', 'lint'], { cwd: packageDirectory, env: userEnv() }),
    ]);
    expect(existsSync(join(packageDirectory, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(packageDirectory, 'dist/index.d.ts'))).toBe(true);
    const publint = await run(process.execPath, [join(root, 'node_modules/publint/src/cli.js'), '--strict'], { cwd: packageDirectory, env: userEnv() });
    expect(publint.output).toContain('All good!');
    const layers = await run(process.execPath, ['tooling/scripts/check-layers.mjs'], { cwd: root, env: userEnv(), allowFailure: true });
    expect(layers.output).not.toContain(`backend-${NAME}`);
  });

  it('runs the conformance suite, which names every primitive left to write and does not crash', async () => {
    const reportFile = join(root, 'conformance-report.json');
    const result = await run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`], {
      cwd: packageDirectory,
      env: userEnv({ CI: 'true' }),
      allowFailure: true,
    });
    expect(result.code).toBe(1); // failing tests, not a crash: the report below was written and is complete
    expect(result.output).not.toMatch(/Unhandled (Error|Rejection)|Error: Cannot find/);
    for (const primitive of KERNELS) expect(result.output).toContain(`does not implement primitive '${primitive}'`);

    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
    expect(report.testResults.map((file) => file.message)).toEqual(['']); // no error outside the tests
    const results = report.testResults.flatMap((file) => file.assertionResults);
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.fullName).sort()).toEqual(
      KERNELS.map((primitive) => `${NAME} backend conformance primitives implements ${primitive}`).sort(),
    );
    for (const r of failed) {
      const primitive = r.fullName.split(' ').at(-1);
      expect(r.failureMessages.join('\n')).toContain(`backend '${NAME}' does not implement primitive '${primitive}' (not implemented: ${primitive}`);
    }
    // The memory primitives work, so their cases ran; the kernels' cases are skipped, not failed.
    for (const primitive of MEMORY) {
      expect(results.find((r) => r.fullName.endsWith(`primitives implements ${primitive}`))?.status).toBe('passed');
    }
    expect(results.filter((r) => r.fullName.includes(' conformance matmul ')).every((r) => r.status === 'skipped')).toBe(true);
  });

  it('refuses a bad or taken name with a message that says what to do', async () => {
    const bad = await run('pnpm', ['new-backend', 'My Accel'], { cwd: root, env: userEnv(), allowFailure: true });
    expect(bad.code).not.toBe(0);
    expect(bad.output).toContain("'My Accel' is not a valid backend name: use lowercase letters");
    const taken = await run('pnpm', ['new-backend', 'cpu'], { cwd: root, env: userEnv(), allowFailure: true });
    expect(taken.code).not.toBe(0);
    expect(taken.output).toContain('packages/backend-cpu already exists');
    const prefixed = await run('pnpm', ['new-backend', 'backend-wasm'], { cwd: root, env: userEnv(), allowFailure: true });
    expect(prefixed.output).toContain('give the name without the prefix: `pnpm new-backend wasm`');
  });
});
