// Generates the API reference (pages/api/) from the TSDoc comments of every public package, with TypeDoc and
// typedoc-plugin-markdown, and a sidebar for it (pages/api/typedoc-sidebar.json).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Application, Converter, type Context } from 'typedoc';
import { DOCS_ROOT } from '../src/examples/run-example.js';

const packagesDir = join(DOCS_ROOT, '..', '..', 'packages');
const outDir = join(DOCS_ROOT, 'pages', 'api');

interface EntryPoint {
  /** The import specifier users write, e.g. `@descent/tensor/node`. */
  readonly specifier: string;
  readonly file: string;
  /** TypeDoc's name for it, from the path: `tensor/src/node`, `tensor/src`. */
  readonly typedocName: string;
}

/** Every public (non-private) package's entry points, from its package.json `exports`. */
function publicEntryPoints(): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const dir of readdirSync(packagesDir).sort()) {
    const manifestPath = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; private?: boolean; exports?: Record<string, unknown> };
    if (manifest.private) continue;
    for (const subpath of Object.keys(manifest.exports ?? { '.': null })) {
      if (subpath.endsWith('.json')) continue;
      const base = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '');
      const file = join(packagesDir, dir, 'src', `${base}.ts`);
      if (!existsSync(file)) continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${base}`;
      entries.push({ specifier, file, typedocName: subpath === '.' ? `${dir}/src` : `${dir}/src/${base}` });
    }
  }
  return entries;
}

const entryPoints = publicEntryPoints();
/** TypeDoc names a module by its path (`tensor/src/node`); users know it by its import specifier. */
const specifierOf = new Map(entryPoints.map((e) => [e.typedocName, e.specifier]));

rmSync(outDir, { recursive: true, force: true });
const app = await Application.bootstrapWithPlugins({
  entryPoints: entryPoints.map((e) => e.file),
  entryPointStrategy: 'resolve',
  tsconfig: join(DOCS_ROOT, 'tsconfig.api.json'),
  plugin: ['typedoc-plugin-markdown'],
  out: outDir,
  name: 'API reference',
  readme: 'none',
  // Type errors are each package's own typecheck's business; the reference documents what is there.
  skipErrorChecking: true,
  disableSources: true,
  excludePrivate: true,
  excludeInternal: true,
  validation: { notExported: false, invalidLink: true, rewrittenLink: true },
  // typedoc-plugin-markdown options: one page per module, `index.md` so /api/ is a page.
  outputFileStrategy: 'modules',
  entryFileName: 'index',
  hidePageHeader: true,
  hideBreadcrumbs: true,
  useCodeBlocks: true,
  sanitizeComments: true,
} as never);

app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context: Context) => {
  for (const module of context.project.children ?? []) {
    const specifier = specifierOf.get(module.name);
    if (!specifier) throw new Error(`build-api: TypeDoc named a module '${module.name}', which no entry point maps to`);
    module.name = specifier;
  }
});

const project = await app.convert();
if (!project) throw new Error('TypeDoc could not convert the packages: see the errors above');
await app.generateOutputs(project);

// The sidebar: one link per module page, in the order of the module list.
const modules = (project.children ?? []).map((m) => m.name).sort((a, b) => a.replace('@descent/', '').localeCompare(b.replace('@descent/', '')));
const sidebar = [{ text: 'Overview', link: '/api/' }, ...modules.map((name) => ({ text: name, link: `/api/${moduleFile(name)}` }))];
writeFileSync(join(outDir, 'typedoc-sidebar.json'), JSON.stringify(sidebar, null, 2));
console.log(`build-api: ${modules.length} modules from ${entryPoints.length} entry points -> pages/api/`);

/** A module's page: `@descent/tensor.md`, or `@descent/nn/index.md` when the module has namespaces under it. */
function moduleFile(name: string): string {
  return existsSync(join(outDir, `${name}.md`)) ? name : `${name}/`;
}
