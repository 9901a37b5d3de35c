#!/usr/bin/env node
// Fails (exit 1) on an import that points up or sideways in Descent's layering, so the dependency arrows
// stay one-way: apps -> @descent/torch -> nn/optim/data/autograd -> tensor -> backend <- backend-*.
// Also fails on an import cycle between the files of one package's src/, and on `.backend` above the tensor layer.
// Usage: node tooling/scripts/check-layers.mjs [--root <workspace root>]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
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
const CYCLE_RULE =
  'break it: move what the files share into a file that imports none of them, import only types (`import type`), ' +
  'or pass the value in from the caller';
const BACKEND_RULE = "only @descent/tensor calls a backend; use a tensor op or the tensor layer's capability query";
/** The source files a compiled `./x.js` (or `.mjs`, ...) specifier may come from, as TypeScript resolves it. */
const SOURCE_FOR_OUTPUT = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const IMPLIED_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

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

/** Workspace packages under packages/, apps/ and tooling/, each with its group, kind, directory and manifest. */
function findWorkspacePackages(root) {
  const found = [];
  for (const [group, kind] of [['packages', 'library'], ['apps', 'app'], ['tooling', 'app']]) {
    const groupDirectory = join(root, group);
    if (!existsSync(groupDirectory)) continue;
    for (const name of readdirSync(groupDirectory).sort()) {
      const directory = join(groupDirectory, name);
      const manifestPath = join(directory, 'package.json');
      if (statSync(directory).isDirectory() && existsSync(manifestPath)) {
        found.push({ group, kind, directory, manifestPath, manifest: readJson(manifestPath) });
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

/**
 * Whether the emitted JavaScript keeps this import or export declaration. The workspace compiles with
 * `verbatimModuleSyntax`, which drops only `import type` / `export type` (and `import type x = require()`):
 * `import { type A } from './a.js'` is emitted as `import {} from './a.js'` and still loads a.js.
 */
function isKeptAtRunTime(declaration) {
  if (ts.isImportDeclaration(declaration)) return !declaration.importClause?.isTypeOnly;
  return !declaration.isTypeOnly;
}

/**
 * The run-time imports of one file (static imports and re-exports the compiler keeps, and dynamic `import()`)
 * with 1-based lines, and the lines where it reads a property named `backend`.
 */
function scanSource(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const lineOf = (node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const imports = [];
  const backendLines = [];
  const visit = (node) => {
    let specifier;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && isKeptAtRunTime(node)) {
      specifier = node.moduleSpecifier;
    } else if (ts.isImportEqualsDeclaration(node) && !node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
      specifier = node.moduleReference.expression;
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      specifier = node.arguments[0];
    } else if (ts.isPropertyAccessExpression(node) && node.name.text === 'backend') {
      backendLines.push(lineOf(node.name));
    }
    if (specifier && ts.isStringLiteralLike(specifier)) imports.push({ specifier: specifier.text, line: lineOf(node) });
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, backendLines };
}

/** The file among `files` that a relative specifier names, resolved as TypeScript (NodeNext) would; else undefined. */
function resolveRelative(fromFile, specifier, files) {
  const target = resolve(dirname(fromFile), specifier);
  const extension = extname(target);
  const stem = target.slice(0, target.length - extension.length);
  const candidates = [
    ...(SOURCE_FOR_OUTPUT[extension] ?? []).map((sourceExtension) => stem + sourceExtension),
    target,
    ...IMPLIED_EXTENSIONS.map((implied) => target + implied),
    ...IMPLIED_EXTENSIONS.map((implied) => join(target, `index${implied}`)),
  ];
  return candidates.find((candidate) => files.has(candidate));
}

/** Strongly connected components of a graph (Map of node -> Map of successor -> anything), by Tarjan's algorithm. */
function stronglyConnectedComponents(graph) {
  const index = new Map();
  const lowLink = new Map();
  const stack = [];
  const components = [];
  const visit = (node) => {
    index.set(node, index.size);
    lowLink.set(node, index.get(node));
    stack.push(node);
    for (const next of graph.get(node).keys()) {
      if (!index.has(next)) {
        visit(next);
        lowLink.set(node, Math.min(lowLink.get(node), lowLink.get(next)));
      } else if (stack.includes(next)) {
        lowLink.set(node, Math.min(lowLink.get(node), index.get(next)));
      }
    }
    if (lowLink.get(node) === index.get(node)) components.push(stack.splice(stack.indexOf(node)));
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** A shortest path start -> ... -> start inside one component (breadth first): the chain a cycle report shows. */
function shortestCycleThrough(graph, start, members) {
  const previous = new Map();
  const queue = [start];
  for (const node of queue) {
    for (const next of [...graph.get(node).keys()].sort()) {
      if (next === start) {
        const chain = [node];
        while (chain[0] !== start) chain.unshift(previous.get(chain[0]));
        return [...chain, start];
      }
      if (members.has(next) && !previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * Import cycles among `files` (one package's src/): for each strongly connected component with more than one
 * file, or a file that imports itself, the shortest chain through its alphabetically first file, the line of the
 * chain's first import, and the component's other files.
 */
function findImportCycles(files, importsByFile) {
  const graph = new Map(files.map((file) => [file, new Map()]));
  for (const file of files) {
    for (const { specifier, line } of importsByFile.get(file)) {
      const target = specifier.startsWith('.') ? resolveRelative(file, specifier, graph) : undefined;
      if (target && !graph.get(file).has(target)) graph.get(file).set(target, line);
    }
  }
  return stronglyConnectedComponents(graph)
    .filter((component) => component.length > 1 || graph.get(component[0]).has(component[0]))
    .map((component) => {
      const members = new Set(component);
      const chain = shortestCycleThrough(graph, [...component].sort()[0], members);
      const others = component.filter((file) => !chain.includes(file)).sort();
      return { chain, line: graph.get(chain[0]).get(chain[1]), others };
    });
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
    const { group, kind, directory, manifestPath, manifest } = entry;
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
    const sourceDirectory = join(directory, 'src');
    const sourceFiles = files.filter((file) => file.startsWith(sourceDirectory + sep));
    const importsByFile = new Map();
    // Above the tensor layer (and in apps), code reaches a backend through tensor ops only.
    const forbidsBackend = group === 'apps' || (isLibrary && LAYERS[name].layer > LAYERS['@descent/tensor'].layer);
    for (const file of sourceFiles) {
      const { imports, backendLines } = scanSource(file);
      importsByFile.set(file, imports);
      if (forbidsBackend) for (const line of backendLines) report(file, line, `reads '.backend': ${BACKEND_RULE}`);
    }
    for (const { chain, line, others } of findImportCycles(sourceFiles, importsByFile)) {
      const inSource = (file) => relative(sourceDirectory, file).split(sep).join('/');
      const rest = others.length > 0 ? ` (also in the cycle: ${others.map(inSource).join(', ')})` : '';
      report(chain[0], line, `import cycle ${chain.map(inSource).join(' -> ')}${rest}; ${CYCLE_RULE}`);
    }
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
