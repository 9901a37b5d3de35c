// Generates the API reference (pages/api/) from the TSDoc comments of every public package, with TypeDoc and
// typedoc-plugin-markdown: one page per module or namespace (its functions, types and constants) and one per class,
// interface or enum; an index and a sidebar (pages/api/typedoc-sidebar.json) with the umbrella first.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Application, Converter, type Context } from 'typedoc';
import { MarkdownRendererEvent } from 'typedoc-plugin-markdown';
import { DOCS_ROOT } from '../src/examples/run-example.js';
import { FunctionCategories } from '../src/api/categories.js';
import { constructorFirst } from '../src/api/constructor-first.js';
import { publicEntryPoints, sourcePaths, UMBRELLA } from '../src/api/entry-points.js';
import { referenceIndex, referenceSidebar } from '../src/api/reference-index.js';

const packagesDir = join(DOCS_ROOT, '..', '..', 'packages');
const outDir = join(DOCS_ROOT, 'pages', 'api');

// The umbrella converts first, so it owns each symbol's page (`torch.nn.Linear`), and the packages it re-exports
// link to those pages instead of repeating them.
const entryPoints = publicEntryPoints(packagesDir).sort((a, b) => Number(b.specifier === UMBRELLA) - Number(a.specifier === UMBRELLA));
/** TypeDoc names a module by its path (`tensor/src/node`); users know it by its import specifier. */
const specifierOf = new Map(entryPoints.map((e) => [e.typedocName, e.specifier]));

rmSync(outDir, { recursive: true, force: true });
const app = await Application.bootstrapWithPlugins({
  entryPoints: entryPoints.map((e) => e.file),
  entryPointStrategy: 'resolve',
  tsconfig: join(DOCS_ROOT, 'tsconfig.api.json'),
  compilerOptions: { paths: sourcePaths(entryPoints) },
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
  // typedoc-plugin-markdown: a page per class, interface, enum and function (with its overloads); a module's page
  // lists its functions in groups by source file (categories.ts), with their one-line summaries.
  outputFileStrategy: 'members',
  membersWithOwnFile: ['Class', 'Interface', 'Enum', 'Function'],
  categorizeByGroup: true,
  indexFormat: 'table',
  entryFileName: 'index',
  hidePageHeader: true,
  hideBreadcrumbs: true,
  useCodeBlocks: true,
  sanitizeComments: true,
} as never);

const categories = new FunctionCategories();
app.converter.on(Converter.EVENT_CREATE_DECLARATION, categories.note);
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context: Context) => {
  for (const module of context.project.children ?? []) {
    const specifier = specifierOf.get(module.name);
    if (!specifier) throw new Error(`build-api: TypeDoc named a module '${module.name}', which no entry point maps to`);
    module.name = specifier;
  }
  constructorFirst(context.project);
  categories.apply(context.project);
});

// The router knows every page's url only while rendering: write the index and sidebar at its end.
app.renderer.on(MarkdownRendererEvent.END, (event: MarkdownRendererEvent) => {
  const router = app.renderer.router;
  if (!router) throw new Error('build-api: TypeDoc rendered without a router');
  writeFileSync(join(outDir, 'index.md'), referenceIndex(event.project, router, new Map(entryPoints.map((e) => [e.specifier, e.description]))));
  writeFileSync(join(outDir, 'typedoc-sidebar.json'), JSON.stringify(referenceSidebar(event.project, router), null, 2));
});

const project = await app.convert();
if (!project) throw new Error('TypeDoc could not convert the packages: see the errors above');
await app.generateOutputs(project);
console.log(`build-api: ${project.children?.length ?? 0} modules from ${entryPoints.length} entry points -> pages/api/`);
