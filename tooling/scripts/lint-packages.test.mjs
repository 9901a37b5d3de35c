import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPackage, topLevelSideEffects } from './lint-packages.mjs';

const manifest = {
  name: '@descent/example',
  type: 'module',
  license: 'MIT',
  repository: { type: 'git', url: 'git+https://github.com/descent-js/descent.git', directory: 'packages/example' },
  homepage: 'https://github.com/descent-js/descent/tree/main/packages/example#readme',
  bugs: { url: 'https://github.com/descent-js/descent/issues' },
  engines: { node: '>=20.19' },
  sideEffects: false,
  publishConfig: { access: 'public' },
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
  files: ['dist', 'src', 'README.md', 'CHANGELOG.md'],
  dependencies: { '@descent/tensor': 'workspace:^', papaparse: '^5.5.3' },
};
const packedManifest = { ...manifest, dependencies: { '@descent/tensor': '^0.1.0', papaparse: '^5.5.3' } };
const files = ['package.json', 'README.md', 'CHANGELOG.md', 'dist/index.js', 'dist/index.d.ts', 'src/index.ts'];
const readme = '# @descent/example\n\n**ESM only.** Use `import`.\n';
const clean = { manifest, packedManifest, files, sourceEffects: { 'src/index.ts': [] }, readme };

describe('topLevelSideEffects', () => {
  it('finds calls and bare imports at the top level, not declarations or re-exports', () => {
    const text = [
      "import './install.js';",
      "import { a } from './a.js';",
      "export * from './b.js';",
      "'use strict';",
      'const table = new Map();',
      'function f() { g(); }',
      'register(a);',
    ].join('\n');
    expect(topLevelSideEffects(text)).toEqual(["1: import './install.js';", '7: register(a);']);
  });

  it('sees the backward engine install in @descent/autograd', () => {
    const text = readFileSync(new URL('../../packages/autograd/src/install.ts', import.meta.url), 'utf8');
    expect(topLevelSideEffects(text)).toHaveLength(1);
    expect(topLevelSideEffects(text)[0]).toContain('installBackwardEngine(');
  });
});

describe('checkPackage', () => {
  it('accepts a package that follows the conventions', () => {
    expect(checkPackage(clean)).toEqual([]);
  });

  it('wants types first and a default condition in every export', () => {
    const exportsField = { '.': { import: './dist/index.js', types: './dist/index.d.ts' } };
    expect(checkPackage({ ...clean, manifest: { ...manifest, exports: exportsField } })).toEqual([
      'exports["."] lists import, types; put "types" first so TypeScript finds it',
    ]);
  });

  it('wants a module that acts on import listed in sideEffects, and listed files to exist', () => {
    const sourceEffects = { 'src/index.ts': [], 'src/install.ts': ['3: install()'] };
    const withInstall = { ...clean, files: [...files, 'dist/install.js'], sourceEffects };
    expect(checkPackage(withInstall)).toEqual([
      'src/install.ts acts on import (line 3: install()) but "sideEffects" does not list ./dist/install.js; bundlers would drop it',
    ]);
    expect(checkPackage({ ...withInstall, manifest: { ...manifest, sideEffects: ['./dist/install.js'] } })).toEqual([]);
    expect(checkPackage({ ...clean, manifest: { ...manifest, sideEffects: ['./dist/gone.js'] } })).toEqual([
      '"sideEffects" lists ./dist/gone.js, which is not shipped',
    ]);
  });

  it('rejects shipped tests, configs and stale outputs, and missing docs', () => {
    const shipped = ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/old.js', 'test/a.test.ts', 'tsconfig.json'];
    expect(checkPackage({ ...clean, files: shipped })).toEqual([
      'ships test/a.test.ts; only dist/, src/, README.md, CHANGELOG.md and LICENSE belong in the tarball',
      'ships tsconfig.json; only dist/, src/, README.md, CHANGELOG.md and LICENSE belong in the tarball',
      'ships no README.md',
      'ships no CHANGELOG.md',
      'ships dist/old.js, which no file in src/ builds: a stale output; delete dist/ and rebuild',
    ]);
  });

  it('wants caret workspace ranges between Descent packages, rewritten in the tarball', () => {
    const pinned = { ...manifest, dependencies: { '@descent/tensor': 'workspace:*' } };
    const unrewritten = { ...packedManifest, dependencies: { '@descent/tensor': 'workspace:*' } };
    expect(checkPackage({ ...clean, manifest: pinned, packedManifest: unrewritten })).toEqual([
      'dependencies["@descent/tensor"] is "workspace:*"; use "workspace:^" (a caret range, so independently released versions dedupe to one copy)',
      'the tarball still says dependencies["@descent/tensor"]: workspace:*; pack with pnpm, which rewrites workspace: ranges',
    ]);
  });

  it('wants repository, homepage, bugs, engines from Node 20.19 and "ESM only" in the README', () => {
    const { repository, homepage, bugs, ...bare } = manifest;
    expect([repository, homepage, bugs].every(Boolean)).toBe(true);
    expect(checkPackage({ ...clean, manifest: { ...bare, engines: { node: '>=20' } }, readme: '# x\n' })).toEqual([
      'no "repository" with "url" and "directory"; npm links the package to its source through it',
      'no "homepage"',
      'no "bugs": { "url" }; say where to report problems',
      '"engines": { "node": ">=20" }; say ">=20.19": require() of our ES modules needs it',
      'README.md does not say "ESM only" for CommonJS users',
    ]);
    expect(checkPackage({ ...clean, manifest: { ...manifest, engines: { node: '>=22' } } })).toEqual([]);
  });
});
