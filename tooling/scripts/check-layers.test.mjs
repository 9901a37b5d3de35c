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

  it('fails on an import cycle inside a package, printing the chain from its alphabetically first file', () => {
    const files = cleanFiles();
    files['packages/tensor/src/tensor.ts'] = "import { add } from './ops/index.js';\nexport class Tensor {}\nexport { add };\n";
    files['packages/tensor/src/ops/index.ts'] = "export * from './arithmetic.js';\n";
    files['packages/tensor/src/ops/arithmetic.ts'] = "import { run } from '../kernels.js';\nexport const add = run;\n";
    files['packages/tensor/src/kernels.ts'] =
      "// import { Tensor } from './tensor.js' in a comment is not an edge\n\n" +
      "export const run = () => import('./tensor.js');\n";
    files['packages/autograd/src/self.ts'] = "export * from './self.js';\n";
    const output = violationsOf(fakeWorkspace(files));
    expect(output).toContain(
      'packages/tensor/src/kernels.ts:3: import cycle kernels.ts -> tensor.ts -> ops/index.ts -> ops/arithmetic.ts -> kernels.ts; ' +
        'break it: move what the files share into a file that imports none of them',
    );
    expect(output).toContain('packages/autograd/src/self.ts:1: import cycle self.ts -> self.ts;');
    expect(output.split('\n')).toHaveLength(2);
  });

  it('names every file of a cycle, and checks the src/ of apps too', () => {
    const files = cleanFiles();
    files['apps/demo/src/a.ts'] = "import './b.js';\nimport './c.js';\n";
    files['apps/demo/src/b.ts'] = "import './a.js';\n";
    files['apps/demo/src/c.ts'] = "import './b.js';\n";
    const output = violationsOf(fakeWorkspace(files));
    expect(output).toBe(
      "apps/demo/src/a.ts:1: import cycle a.ts -> b.ts -> a.ts (also in the cycle: c.ts); break it: move what the files share " +
        'into a file that imports none of them, import only types (`import type`), or pass the value in from the caller',
    );
  });

  it('does not count imports the compiler erases (import type, export type) as edges of a cycle', () => {
    const files = cleanFiles();
    files['packages/tensor/src/tensor.ts'] =
      "import type { Storage } from './storage.js';\nexport type { Storage };\nexport class Tensor { storage?: Storage }\n";
    files['packages/tensor/src/storage.ts'] =
      "import type { Tensor } from './tensor.js';\nexport type { Tensor as Owner } from './tensor.js';\n" +
      "export type Storage = { owner: Tensor; kind: typeof import('./tensor.js') };\n";
    expect(violationsOf(fakeWorkspace(files))).toBe('');
  });

  it('counts an import of inline types only, which verbatimModuleSyntax emits as `import {}`', () => {
    const files = cleanFiles();
    files['packages/tensor/src/tensor.ts'] = "import { type Storage } from './storage.js';\nexport class Tensor { storage?: Storage }\n";
    files['packages/tensor/src/storage.ts'] = "export { type Tensor } from './tensor.js';\nexport type Storage = { size: number };\n";
    expect(violationsOf(fakeWorkspace(files))).toContain(
      'packages/tensor/src/storage.ts:1: import cycle storage.ts -> tensor.ts -> storage.ts;',
    );
  });

  it('fails on `.backend` in src/ above the tensor layer and in apps, not in @descent/tensor, strings or comments', () => {
    const files = cleanFiles();
    const reader =
      "import type { Tensor } from '@descent/tensor';\n" +
      "// t.device.backend in a comment is fine, and so is the string 't.device.backend'\n" +
      'export const canRead = (t: Tensor) =>\n  t.device\n    .backend.readSync !== undefined;\n';
    files['packages/tensor/src/read.ts'] = reader;
    files['packages/optim/src/read.ts'] = reader;
    files['packages/autograd/src/read.ts'] = 'export const fused = (t: any) => t.device?.backend?.adamUpdate;\n';
    files['apps/demo/src/info.ts'] = "export const name = (t: any): string => t.device.backend.name ?? 'backend';\n";
    const output = violationsOf(fakeWorkspace(files));
    expect(output.split('\n')).toEqual([
      "packages/autograd/src/read.ts:1: reads '.backend': only @descent/tensor calls a backend; " +
        "use a tensor op or the tensor layer's capability query",
      "packages/optim/src/read.ts:5: reads '.backend': only @descent/tensor calls a backend; " +
        "use a tensor op or the tensor layer's capability query",
      "apps/demo/src/info.ts:1: reads '.backend': only @descent/tensor calls a backend; " +
        "use a tensor op or the tensor layer's capability query",
    ]);
  });
});
