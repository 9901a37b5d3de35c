// Runs check-layers.mjs as CI does, against small fake workspaces written to a temporary directory.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers } from './check-layers.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-layers.mjs');
const workspaces = [];

/** Writes `{ 'packages/x/src/a.ts': '...' }` under a fresh temporary root; objects are written as JSON. */
function fakeWorkspace(files) {
  const root = mkdtempSync(join(tmpdir(), 'check-layers-'));
  workspaces.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return root;
}

function manifest(name, dependencies = {}, extra = {}) {
  return { name, version: '0.1.0', type: 'module', exports: { '.': './dist/index.js' }, dependencies, ...extra };
}

// The script as CI runs it: a fresh Node process that loads the TypeScript scanner (slow on a busy machine).
const CLI_TIMEOUT_MS = 120_000;

function runCheck(root) {
  const result = spawnSync(process.execPath, [script, '--root', root], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

/** The same check in this process: the violation lines the script prints, without the process start. */
function violationsOf(root) {
  return checkLayers(root).violations.join('\n');
}

/** A workspace that follows every rule: backend <- tensor <- autograd <- descent <- apps/demo. */
function cleanFiles() {
  return {
    'packages/backend/package.json': manifest('@descent/backend'),
    'packages/backend/src/index.ts': "export type DType = 'float32';\n",
    'packages/tensor/package.json': manifest('@descent/tensor', { '@descent/backend': 'workspace:^' }),
    'packages/tensor/src/index.ts': "import type { DType } from '@descent/backend';\nexport const dtype: DType = 'float32';\n",
    'packages/autograd/package.json': manifest('@descent/autograd', { '@descent/tensor': 'workspace:^' }),
    'packages/autograd/src/index.ts': "export { dtype } from '@descent/tensor';\n",
    'packages/optim/package.json': manifest(
      '@descent/optim',
      { '@descent/tensor': 'workspace:^' },
      { devDependencies: { '@descent/autograd': 'workspace:^' } },
    ),
    'packages/optim/src/index.ts': "export * from '@descent/tensor';\n",
    // Tests may use anything, even in a package whose src may not.
    'packages/optim/test/sgd.test.ts': "import '@descent/autograd';\n",
    'packages/torch/package.json': manifest('@descent/torch', {
      '@descent/tensor': 'workspace:^',
      '@descent/autograd': 'workspace:^',
    }),
    'packages/torch/src/index.ts':
      "export * from '@descent/tensor';\nexport * as autograd from '@descent/autograd';\n" +
      "// import '../../nn/src/index.js' in a comment is not an import\n",
    'apps/demo/package.json': { name: '@descent/demo', private: true, dependencies: { '@descent/torch': 'workspace:*' } },
    'apps/demo/src/main.ts': "import * as torch from '@descent/torch';\nconsole.log(torch);\n",
  };
}

afterEach(() => {
  for (const root of workspaces.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('check-layers', () => {
  it('passes on a workspace that follows the layering', () => {
    const { status, output } = runCheck(fakeWorkspace(cleanFiles()));
    expect(output).toContain('check-layers: 6 files in 6 packages follow the layering');
    expect(status).toBe(0);
  }, CLI_TIMEOUT_MS);

  it('fails on an upward import, naming the file, the import and the rule', () => {
    const root = fakeWorkspace({
      ...cleanFiles(),
      'packages/tensor/src/backward.ts': "\n\nexport const engine = await import('@descent/autograd');\n",
    });
    const { status, output } = runCheck(root);
    expect(status).toBe(1);
    expect(output).toContain('check-layers: 1 layering violation(s):');
    expect(output).toContain(
      "packages/tensor/src/backward.ts:3: imports '@descent/autograd' (upward, to layer 3): " +
        '@descent/tensor (layer 2) may import only @descent/backend, @descent/backend-cpu',
    );
  }, CLI_TIMEOUT_MS);

  it('fails on a sideways import and on a dependency the layer forbids', () => {
    const files = cleanFiles();
    files['packages/optim/src/step.ts'] = "import type { grad } from '@descent/autograd';\nexport type G = typeof grad;\n";
    files['packages/optim/package.json'] = manifest('@descent/optim', {
      '@descent/tensor': 'workspace:^',
      '@descent/autograd': 'workspace:^',
    });
    files['packages/nn/package.json'] = manifest('@descent/nn', { '@descent/autograd': 'workspace:^' });
    files['packages/nn/src/index.ts'] = "export * from '@descent/optim';\n";
    const output = violationsOf(fakeWorkspace(files));
    expect(output).toContain(
      "packages/optim/src/step.ts:1: imports '@descent/autograd' (not allowed, layer 3): " +
        '@descent/optim (layer 4) may import only @descent/tensor, @descent/backend',
    );
    expect(output).toContain("packages/optim/package.json: dependencies lists '@descent/autograd' (not allowed, layer 3)");
    expect(output).toContain("packages/nn/src/index.ts:1: imports '@descent/optim' (sideways, to layer 4)");
  });

  it('fails when an app reaches into package internals or a library leaves its own directory', () => {
    const files = cleanFiles();
    files['apps/demo/src/deep.ts'] =
      "import { Tensor } from '@descent/tensor/src/tensor.js';\nimport '../../../packages/autograd/src/index.js';\n";
    files['apps/demo/package.json'] = {
      name: '@descent/demo',
      private: true,
      dependencies: { '@descent/torch': 'workspace:*', '@descent/tensor': 'workspace:*' },
    };
    files['packages/autograd/src/peek.ts'] = "export * from '../../tensor/src/index.js';\n";
    const output = violationsOf(fakeWorkspace(files));
    expect(output).toContain("apps/demo/src/deep.ts:1: imports '@descent/tensor/src/tensor.js', internals of @descent/tensor");
    expect(output).toContain("apps/demo/src/deep.ts:2: imports '../../../packages/autograd/src/index.js', a relative path into packages/");
    expect(output).toContain(
      "packages/autograd/src/peek.ts:1: imports '../../tensor/src/index.js', a relative path out of @descent/autograd",
    );
  });

  it('fails on an allowed import that package.json does not declare, and on a package with no layer', () => {
    const files = cleanFiles();
    files['packages/autograd/src/dtype.ts'] = "export type { DType } from '@descent/backend';\n";
    files['packages/vision/package.json'] = manifest('@descent/vision');
    const output = violationsOf(fakeWorkspace(files));
    expect(output).toContain(
      "packages/autograd/src/dtype.ts:1: imports '@descent/backend' but packages/autograd/package.json does not list @descent/backend in dependencies",
    );
    expect(output).toContain('packages/vision/package.json: @descent/vision has no layer; add it to LAYERS');
  });

  it('fails on a dependency cycle through dev dependencies', () => {
    const files = cleanFiles();
    files['packages/backend/package.json'] = manifest('@descent/backend', {}, { devDependencies: { '@descent/torch': 'workspace:^' } });
    const output = violationsOf(fakeWorkspace(files));
    expect(output).toMatch(/workspace dependency cycle @descent\/backend -> @descent\/torch -> @descent\/tensor -> @descent\/backend/);
  });
});
