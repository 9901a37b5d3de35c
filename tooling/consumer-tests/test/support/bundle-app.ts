import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import type { ConsumerProject } from './consumer-project.js';
import { run, userEnv } from './run.js';

export type Bundler = 'esbuild' | 'vite';

export interface Bundle {
  /** The built app: index.html and its scripts. */
  readonly directory: string;
  /** What the bundler printed (its warnings included). */
  readonly log: string;
  /** Every .js file written, with its size in bytes. */
  readonly scripts: { readonly file: string; readonly bytes: number; readonly text: string }[];
}

/**
 * Bundles the project's `<app>/` (index.html + main.js) as a user would, with no config file: esbuild's CLI for
 * the browser (`--bundle --platform=browser --format=esm`), or `vite build` in the app's folder.
 */
export async function bundleApp(project: ConsumerProject, app: string, bundler: Bundler): Promise<Bundle> {
  const source = join(project.directory, app);
  const bin = (name: string) => join(project.directory, 'node_modules/.bin', name);
  let directory: string;
  let result;
  if (bundler === 'esbuild') {
    directory = join(project.directory, 'esbuild-out', app);
    const args = [`${app}/main.js`, '--bundle', '--platform=browser', '--format=esm', `--outdir=${directory}`];
    result = await run(bin('esbuild'), args, { cwd: project.directory, env: userEnv() });
    cpSync(join(source, 'index.html'), join(directory, 'index.html'));
  } else {
    directory = join(source, 'dist');
    result = await run(bin('vite'), ['build'], { cwd: source, env: userEnv({ NO_COLOR: '1' }) });
  }
  const scripts = listFiles(directory)
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({ file, bytes: statSync(join(directory, file)).size, text: readFileSync(join(directory, file), 'utf8') }));
  return { directory, log: result.output, scripts };
}

function listFiles(directory: string, prefix = ''): string[] {
  return readdirSync(join(directory, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(directory, join(prefix, entry.name)) : [join(prefix, entry.name)],
  );
}

const BUILTINS = new Set(builtinModules);
// A module specifier in an import, a dynamic import, an export-from or a require, in minified code too.
const SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(["'`])([^"'`\s]+)\1/g;

/**
 * What in the bundle still points at Node: any `node:` string, an import or require of a Node built-in by its
 * bare name (`fs`, `stream`), and Vite's stand-in for a built-in it externalized. Returns `file: what` for each.
 */
export function nodeReferences(bundle: Bundle): string[] {
  const found: string[] = [];
  for (const { file, text } of bundle.scripts) {
    for (const match of text.matchAll(/["'`]node:[\w/.-]*/g)) found.push(`${file}: ${match[0]}`);
    for (const [, , specifier] of text.matchAll(SPECIFIER)) if (BUILTINS.has(specifier)) found.push(`${file}: ${specifier}`);
    if (text.includes('__vite-browser-external')) found.push(`${file}: __vite-browser-external`);
  }
  return found;
}

/** The bundler's warnings: esbuild's `[WARNING]` blocks, Vite's `(!)` notes and "externalized for browser compatibility". */
export function bundlerWarnings(bundle: Bundle): string[] {
  return bundle.log.split('\n').filter((line) => /\[WARNING\]|\(!\)|externalized|\bwarn(ing)?\b|node:/i.test(line));
}
