#!/usr/bin/env node
// `pnpm lint:packages`: checks each publishable package as it would ship. It packs packages/* with `pnpm pack`
// (workspace: ranges rewritten, `files` applied), unpacks the tarballs, runs publint on each (warnings count as
// errors) and adds the checks publint does not make: ESM with `types` first in every export, `sideEffects` that
// matches the code's top-level effects, only dist/, src/ and the docs shipped, README.md and CHANGELOG.md present,
// and `workspace:^` ranges between our packages (so one copy of each, @descent/tensor above all, gets installed).
// Needs built packages (`pnpm build`). Usage: node tooling/scripts/lint-packages.mjs [--root <workspace root>]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import ts from 'typescript';

const SHIPPED_TOP_LEVEL = /^(package\.json|README\.md|CHANGELOG\.md|LICEN[CS]E(\.\w+)?|dist\/.+|src\/.+)$/;
const NEVER_SHIPPED = /(^|\/)(test|tests|fixtures|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)tsconfig[^/]*\.json$|\.tsbuildinfo$/;
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

const isWorkspaceName = (name) => name.startsWith('@descent/');
// require() of an ES module (what a CommonJS user does) works without a flag from Node 20.19 on.
const MINIMUM_NODE = [20, 19];

/** Whether an `engines.node` range like `>=20.19` or `>=22` starts at or above {@link MINIMUM_NODE}. */
function enginesStartHighEnough(range) {
  const match = /^>=\s*(\d+)(?:\.(\d+))?(?:\.\d+)?$/.exec(range ?? '');
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2] ?? 0)];
  return major > MINIMUM_NODE[0] || (major === MINIMUM_NODE[0] && minor >= MINIMUM_NODE[1]);
}

/** Where a user finds the code and reports bugs, as npm shows them; and what a CommonJS user needs to know. */
function metadataProblems(manifest, readme) {
  const problems = [];
  const repository = manifest.repository;
  if (typeof repository?.url !== 'string' || typeof repository?.directory !== 'string') {
    problems.push('no "repository" with "url" and "directory"; npm links the package to its source through it');
  }
  if (typeof manifest.homepage !== 'string') problems.push('no "homepage"');
  if (typeof manifest.bugs?.url !== 'string') problems.push('no "bugs": { "url" }; say where to report problems');
  if (!enginesStartHighEnough(manifest.engines?.node)) {
    problems.push(`"engines": { "node": ${JSON.stringify(manifest.engines?.node)} }; say ">=20.19": require() of our ES modules needs it`);
  }
  if (readme !== undefined && !readme.includes('ESM only')) problems.push('README.md does not say "ESM only" for CommonJS users');
  return problems;
}

/**
 * Top-level statements of a module that act on import: expression statements (calls, assignments) and bare
 * `import 'x'`. Declarations, exports and re-exports do not. Returns `line: text` for each.
 */
export function topLevelSideEffects(sourceText, fileName = 'module.ts') {
  const source = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, true);
  const effects = [];
  for (const statement of source.statements) {
    const effectful =
      (ts.isExpressionStatement(statement) && !ts.isStringLiteral(statement.expression)) ||
      (ts.isImportDeclaration(statement) && !statement.importClause);
    if (effectful) {
      const line = source.getLineAndCharacterOfPosition(statement.getStart()).line + 1;
      effects.push(`${line}: ${statement.getText().split('\n')[0].slice(0, 80)}`);
    }
  }
  return effects;
}

/** Whether the shipped file `path` (e.g. `dist/install.js`) matches a `sideEffects` entry (`./dist/*.js` allowed). */
function matchesSideEffectsEntry(entry, path) {
  const normalized = entry.replace(/^\.\//, '');
  if (!normalized.includes('*')) return normalized === path || (!normalized.includes('/') && path.endsWith(`/${normalized}`));
  const pattern = normalized
    .split(/\*\*\/?/)
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`(^|/)${pattern}$`).test(path);
}

/** `src/a/b.ts` -> `dist/a/b.js`, where tsc (rootDir src, outDir dist) writes it. */
const emittedPath = (sourcePath) => sourcePath.replace(/^src\//, 'dist/').replace(/\.[cm]?tsx?$/, '.js');

/**
 * The problems of one package, given its manifest as written in the repository, the manifest in its tarball, the
 * shipped file paths, the top-level side effects of each of its source files (`src/x.ts` -> effects) and the
 * shipped README's text.
 */
export function checkPackage({ manifest, packedManifest, files, sourceEffects, readme }) {
  const problems = metadataProblems(manifest, readme);
  const shipped = new Set(files);
  if (manifest.type !== 'module') problems.push(`"type" is ${JSON.stringify(manifest.type)}; Descent packages are ESM: set "type": "module"`);
  if (typeof manifest.license !== 'string') problems.push('no "license"');
  if (manifest.name.startsWith('@') && manifest.publishConfig?.access !== 'public') {
    problems.push('scoped package without "publishConfig": { "access": "public" }; npm would publish it as restricted');
  }

  if (typeof manifest.exports !== 'object' || manifest.exports === null) {
    problems.push('no "exports" map; add one with a "types" condition first and a "default" condition');
  } else {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') {
        if (!shipped.has(target.replace(/^\.\//, ''))) problems.push(`exports["${subpath}"] points to ${target}, which is not shipped`);
        continue;
      }
      const conditions = Object.keys(target);
      if (conditions[0] !== 'types') problems.push(`exports["${subpath}"] lists ${conditions.join(', ')}; put "types" first so TypeScript finds it`);
      if (!('default' in target) && !('import' in target)) problems.push(`exports["${subpath}"] has no "default" (or "import") condition`);
      for (const [condition, file] of Object.entries(target)) {
        if (typeof file === 'string' && !shipped.has(file.replace(/^\.\//, ''))) {
          problems.push(`exports["${subpath}"].${condition} points to ${file}, which is not in the tarball (build first, or fix "files")`);
        }
      }
    }
  }

  if (!Array.isArray(manifest.files)) problems.push('no "files" list; without one npm ships everything not ignored');
  for (const file of files) {
    if (!SHIPPED_TOP_LEVEL.test(file) || NEVER_SHIPPED.test(file)) problems.push(`ships ${file}; only dist/, src/, README.md, CHANGELOG.md and LICENSE belong in the tarball`);
  }
  for (const doc of ['README.md', 'CHANGELOG.md']) if (!shipped.has(doc)) problems.push(`ships no ${doc}`);
  const sources = new Set(Object.keys(sourceEffects).map(emittedPath));
  for (const file of files.filter((path) => /^dist\/.*\.js$/.test(path))) {
    if (!sources.has(file)) problems.push(`ships ${file}, which no file in src/ builds: a stale output; delete dist/ and rebuild`);
  }

  if (manifest.sideEffects === undefined) problems.push('no "sideEffects"; say false, or list the files that act on import, so bundlers can drop unused modules');
  const listed = Array.isArray(manifest.sideEffects) ? manifest.sideEffects : [];
  for (const [sourcePath, effects] of Object.entries(sourceEffects)) {
    if (effects.length === 0) continue;
    const output = emittedPath(sourcePath);
    const covered = manifest.sideEffects === true || listed.some((entry) => matchesSideEffectsEntry(entry, output));
    if (!covered) {
      problems.push(`${sourcePath} acts on import (line ${effects[0]}) but "sideEffects" does not list ./${output}; bundlers would drop it`);
    }
  }
  for (const entry of listed) {
    if (!files.some((file) => matchesSideEffectsEntry(entry, file))) problems.push(`"sideEffects" lists ${entry}, which is not shipped`);
  }

  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (isWorkspaceName(name) && range !== 'workspace:^') {
        problems.push(`${field}["${name}"] is ${JSON.stringify(range)}; use "workspace:^" (a caret range, so independently released versions dedupe to one copy)`);
      }
      const packedRange = packedManifest[field]?.[name];
      if (typeof packedRange === 'string' && packedRange.startsWith('workspace:')) {
        problems.push(`the tarball still says ${field}["${name}"]: ${packedRange}; pack with pnpm, which rewrites workspace: ranges`);
      }
    }
  }
  return problems;
}

function listFiles(directory, base = directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? listFiles(path, base) : [relative(base, path).split('\\').join('/')];
  });
}

function sourceSideEffects(packageDirectory) {
  const sourceDirectory = join(packageDirectory, 'src');
  if (!existsSync(sourceDirectory)) return {};
  return Object.fromEntries(
    listFiles(sourceDirectory)
      .filter((file) => /\.[cm]?tsx?$/.test(file) && !file.endsWith('.d.ts'))
      .map((file) => [`src/${file}`, topLevelSideEffects(readFileSync(join(sourceDirectory, file), 'utf8'), file)]),
  );
}

function publicPackages(root) {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((directory) => existsSync(join(directory, 'package.json')))
    .map((directory) => ({ directory, manifest: JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => manifest.private !== true);
}

async function main(argv) {
  const rootFlag = argv.indexOf('--root');
  const root = resolve(rootFlag >= 0 ? argv[rootFlag + 1] : join(dirname(fileURLToPath(import.meta.url)), '../..'));
  const packages = publicPackages(root);
  const unbuilt = packages.filter(({ directory }) => !existsSync(join(directory, 'dist')));
  if (unbuilt.length > 0) {
    console.error(`lint-packages: build first (pnpm build); no dist/ in ${unbuilt.map(({ manifest }) => manifest.name).join(', ')}`);
    return 1;
  }

  const scratch = mkdtempSync(join(tmpdir(), 'descent-lint-packages-'));
  try {
    const output = execFileSync('pnpm', ['-r', '--filter', './packages/*', 'pack', '--json', '--pack-destination', join(scratch, 'tarballs')], {
      cwd: root,
      encoding: 'utf8',
    });
    const tarballs = new Map(JSON.parse(output.slice(output.indexOf('['))).map((entry) => [entry.name, entry.filename]));
    let failures = 0;
    for (const { directory, manifest } of packages) {
      const tarball = tarballs.get(manifest.name);
      const unpacked = join(scratch, 'unpacked', manifest.name.replace('/', '__'));
      mkdirSync(unpacked, { recursive: true });
      execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
      const packageRoot = join(unpacked, 'package');
      const packedManifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
      const readmePath = join(packageRoot, 'README.md');
      const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined;
      const problems = checkPackage({ manifest, packedManifest, files: listFiles(packageRoot), sourceEffects: sourceSideEffects(directory), readme });

      // pack: false lints the unpacked tarball as it lies, which is exactly what ships.
      const { messages } = await publint({ pkgDir: packageRoot, pack: false, strict: true, level: 'suggestion' });
      const notes = [];
      for (const message of messages) {
        const text = `publint: ${formatMessage(message, packedManifest, { color: false })}`;
        if (message.type === 'suggestion') notes.push(text);
        else problems.push(text);
      }
      const where = relative(root, directory).split('\\').join('/');
      if (problems.length === 0) console.log(`ok   ${manifest.name} (${where}, ${listFiles(packageRoot).length} files)`);
      else console.error(`FAIL ${manifest.name} (${where})`);
      for (const problem of problems) console.error(`       ${problem}`);
      for (const note of notes) console.log(`       note: ${note}`);
      failures += problems.length > 0 ? 1 : 0;
    }
    if (failures > 0) {
      console.error(`lint-packages: ${failures} of ${packages.length} packages would ship with problems (see CONTRIBUTING.md, "Releases").`);
      return 1;
    }
    console.log(`lint-packages: ${packages.length} packages ship cleanly`);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main(process.argv.slice(2));
