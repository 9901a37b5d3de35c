#!/usr/bin/env node
// Fails (exit 1) on an import that points up or sideways in Descent's layering, so the dependency arrows
// stay one-way: apps -> @descent/torch -> nn/optim/data/autograd -> tensor -> backend <- backend-*.
// Usage: node tooling/scripts/check-layers.mjs [--root <workspace root>]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

/**
 * Every library package, its layer (lower = closer to the hardware) and the workspace packages its `src/` may
 * import. A package missing here fails the check: give it a layer before it can ship.
 */
export const LAYERS = {
  '@descent/backend': { layer: 0, mayImport: [] },
  '@descent/backend-cpu': { layer: 1, mayImport: ['@descent/backend'] },
  '@descent/backend-webgpu': { layer: 1, mayImport: ['@descent/backend'] },
  // The conformance suite compares a backend against the CPU reference.
  '@descent/backend-testkit': { layer: 1, mayImport: ['@descent/backend', '@descent/backend-cpu'] },
  // The CPU backend is tensor's embedded default, so tensor works with no GPU and no setup.
  '@descent/tensor': { layer: 2, mayImport: ['@descent/backend', '@descent/backend-cpu'] },
  '@descent/autograd': { layer: 3, mayImport: ['@descent/tensor', '@descent/backend'] },
  '@descent/nn': { layer: 4, mayImport: ['@descent/autograd', '@descent/tensor', '@descent/backend'] },
  // Optimizers and data loading work on plain tensors; their tests may still use nn or autograd.
  '@descent/optim': { layer: 4, mayImport: ['@descent/tensor', '@descent/backend'] },
  '@descent/data': { layer: 4, mayImport: ['@descent/tensor', '@descent/backend'] },
  '@descent/torch': { layer: 5, mayImport: 'every library package' },
};

const APP_RULE = 'apps and tooling may import any package through its public entry points only';
const PUBLIC_RULE = "import a package through an entry point in its package.json 'exports'";
const SOURCE_EXTENSIONS = /\.(?:ts|tsx|mts|cts|js|mjs|cjs|jsx)$/;
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '.turbo', 'coverage', 'fixtures']);
const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'];

/** `@descent/x` or `@descent/x/sub/path` -> `{ name, subpath }`; null for any other specifier. */
export function parseWorkspaceSpecifier(specifier) {
  const match = /^(@descent\/[^/]+)(\/.*)?$/.exec(specifier);
  return match ? { name: match[1], subpath: match[2] ?? '' } : null;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function listSourceFiles(directory) {
  if (!existsSync(directory)) return [];
  const files = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) files.push(...listSourceFiles(path));
    } else if (SOURCE_EXTENSIONS.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      files.push(path);
    }
  }
  return files.sort();
}

/** Workspace packages under packages/, apps/ and tooling/, each with its kind, directory and manifest. */
function findWorkspacePackages(root) {
  const found = [];
  for (const [group, kind] of [['packages', 'library'], ['apps', 'app'], ['tooling', 'app']]) {
    const groupDirectory = join(root, group);
    if (!existsSync(groupDirectory)) continue;
    for (const name of readdirSync(groupDirectory).sort()) {
      const directory = join(groupDirectory, name);
      const manifestPath = join(directory, 'package.json');
      if (statSync(directory).isDirectory() && existsSync(manifestPath)) {
        found.push({ kind, directory, manifestPath, manifest: readJson(manifestPath) });
      }
    }
  }
  return found;
}

/** Import, export-from and dynamic-import specifiers of one file, with 1-based line numbers. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.map(({ fileName, pos }) => ({
    specifier: fileName,
    line: text.slice(0, pos).split('\n').length,
  }));
}

/** Whether `subpath` ('' for the root) is one of the package's declared `exports`. */
function isPublicSubpath(manifest, subpath) {
  if (subpath === '') return true;
  const exportsField = manifest?.exports;
  if (exportsField === undefined || typeof exportsField === 'string') return false;
  const wanted = `.${subpath}`;
  return Object.keys(exportsField).some((key) => {
    if (!key.includes('*')) return key === wanted;
    const [prefix, suffix] = key.split('*');
    return wanted.startsWith(prefix) && wanted.endsWith(suffix) && wanted.length >= prefix.length + suffix.length;
  });
}

function allowedImportsOf(name, libraryNames) {
  const rule = LAYERS[name];
  if (rule.mayImport === 'every library package') return libraryNames.filter((other) => other !== name);
  return rule.mayImport;
}

function describeRule(name) {
  const rule = LAYERS[name];
  const allowed = Array.isArray(rule.mayImport)
    ? rule.mayImport.length === 0
      ? 'no workspace package'
      : rule.mayImport.join(', ')
    : rule.mayImport;
  return `${name} (layer ${rule.layer}) may import only ${allowed}`;
}

function direction(fromName, toName) {
  const from = LAYERS[fromName]?.layer;
  const to = LAYERS[toName]?.layer;
  if (to === undefined) return 'not a library package';
  if (to > from) return `upward, to layer ${to}`;
  if (to === from) return `sideways, to layer ${to}`;
  return `not allowed, layer ${to}`;
}

/** Cycles in the workspace graph (dev dependencies included): `turbo run build` needs a DAG for `^build`. */
function findCycles(packagesByName) {
  const cycles = [];
  const state = new Map();
  const visit = (name, path) => {
    state.set(name, 'visiting');
    const manifest = packagesByName.get(name).manifest;
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies });
    for (const dep of deps) {
      // A package may list itself (a devDependency so its tests import it by name): not a cycle.
      if (dep === name || !packagesByName.has(dep)) continue;
      if (state.get(dep) === 'visiting') cycles.push(path.slice(path.indexOf(dep)));
      else if (!state.has(dep)) visit(dep, [...path, dep]);
    }
    state.set(name, 'done');
  };
  for (const name of packagesByName.keys()) if (!state.has(name)) visit(name, [name]);
  // Start each cycle at its alphabetically first member, so one cycle reads the same however it was reached.
  const canonical = cycles.map((cycle) => {
    const start = cycle.indexOf([...cycle].sort()[0]);
    const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
    return [...rotated, rotated[0]].join(' -> ');
  });
  return [...new Set(canonical)];
}

/** Checks a workspace; returns every violation (empty when the layering holds) and what was scanned. */
export function checkLayers(root) {
  const workspace = findWorkspacePackages(root);
  const packagesByName = new Map(workspace.map((entry) => [entry.manifest.name, entry]));
  const libraries = workspace.filter((entry) => entry.kind === 'library');
  const libraryNames = libraries.map((entry) => entry.manifest.name);
  const packagesDirectory = join(root, 'packages') + sep;
  const violations = [];
  let fileCount = 0;
  const report = (file, line, message) =>
    violations.push(`${relative(root, file).split(sep).join('/')}${line ? `:${line}` : ''}: ${message}`);

  for (const entry of workspace) {
    const { kind, directory, manifestPath, manifest } = entry;
    const name = manifest.name;
    const isLibrary = kind === 'library';
    if (isLibrary && !(name in LAYERS)) {
      report(manifestPath, 0, `${name} has no layer; add it to LAYERS in tooling/scripts/check-layers.mjs`);
      continue;
    }
    const allowed = isLibrary ? allowedImportsOf(name, libraryNames) : null;
    const declared = new Set(DEPENDENCY_FIELDS.flatMap((field) => Object.keys(manifest[field] ?? {})));

    // Libraries: only src/ ships, and their tests may use anything. Apps and tooling: everything they hold.
    const files = listSourceFiles(isLibrary ? join(directory, 'src') : directory);
    fileCount += files.length;
    for (const file of files) {
      for (const { specifier, line } of importsOf(file)) {
        if (specifier.startsWith('.')) {
          const target = resolve(dirname(file), specifier);
          if (isLibrary && !(target + sep).startsWith(directory + sep)) {
            report(file, line, `imports '${specifier}', a relative path out of ${name}; import the package by name`);
          } else if (!isLibrary && (target + sep).startsWith(packagesDirectory)) {
            report(file, line, `imports '${specifier}', a relative path into packages/ (${APP_RULE})`);
          }
          continue;
        }
        const parsed = parseWorkspaceSpecifier(specifier);
        if (!parsed || parsed.name === name) continue;
        if (isLibrary && !allowed.includes(parsed.name)) {
          report(file, line, `imports '${specifier}' (${direction(name, parsed.name)}): ${describeRule(name)}`);
          continue;
        }
        const target = packagesByName.get(parsed.name);
        if (!isPublicSubpath(target?.manifest, parsed.subpath)) {
          const what = /^\/(src|dist)(\/|$)/.test(parsed.subpath) ? 'internals' : 'a subpath it does not export';
          report(file, line, `imports '${specifier}', ${what} of ${parsed.name} (${isLibrary ? PUBLIC_RULE : APP_RULE})`);
          continue;
        }
        if (target && !declared.has(parsed.name)) {
          report(file, line, `imports '${specifier}' but ${relative(root, manifestPath)} does not list ${parsed.name} in dependencies`);
        }
      }
    }

    if (isLibrary) {
      for (const field of DEPENDENCY_FIELDS) {
        for (const dep of Object.keys(manifest[field] ?? {})) {
          if (parseWorkspaceSpecifier(dep) && dep !== name && !allowed.includes(dep)) {
            report(manifestPath, 0, `${field} lists '${dep}' (${direction(name, dep)}): ${describeRule(name)}`);
          }
        }
      }
    }
  }

  for (const cycle of findCycles(packagesByName)) {
    report(join(root, 'package.json'), 0, `workspace dependency cycle ${cycle}; turbo's ^build needs a DAG`);
  }
  return { violations, fileCount, packageCount: workspace.length };
}

function main(argv) {
  const rootFlag = argv.indexOf('--root');
  const root = resolve(rootFlag >= 0 ? argv[rootFlag + 1] : join(dirname(fileURLToPath(import.meta.url)), '../..'));
  const { violations, fileCount, packageCount } = checkLayers(root);
  if (violations.length > 0) {
    console.error(`check-layers: ${violations.length} layering violation(s):`);
    for (const violation of violations) console.error(`  ${violation}`);
    console.error('Dependency arrows point down only: apps -> @descent/torch -> nn/optim/data/autograd -> tensor -> backend <- backend-*.');
    console.error('Move the code down a layer, or pass the value in from the caller (see CONTRIBUTING.md, "Layering").');
    return 1;
  }
  console.log(`check-layers: ${fileCount} files in ${packageCount} packages follow the layering`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
