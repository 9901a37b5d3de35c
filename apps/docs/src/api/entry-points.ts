// The API reference's entry points: every public package's exports, by the specifier users import.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package users start from (`import * as torch from '@descent/torch'`): first in the reference. */
export const UMBRELLA = '@descent/torch';

export interface EntryPoint {
  /** The import specifier users write, e.g. `@descent/tensor/node`. */
  readonly specifier: string;
  /** Its TypeScript source. */
  readonly file: string;
  /** TypeDoc's name for it, from the path: `tensor/src/node`, `tensor/src`. */
  readonly typedocName: string;
  /** One line for the reference's index: the package's description, or what a subpath adds to it. */
  readonly description: string;
}

/** Every public (non-private) package's entry points under `packagesDir`, from its package.json `exports`. */
export function publicEntryPoints(packagesDir: string): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const dir of readdirSync(packagesDir).sort()) {
    const manifestPath = join(packagesDir, dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      description?: string;
      private?: boolean;
      exports?: Record<string, unknown>;
    };
    if (manifest.private) continue;
    for (const subpath of Object.keys(manifest.exports ?? { '.': null })) {
      if (subpath.endsWith('.json')) continue;
      const base = subpath === '.' ? 'index' : subpath.replace(/^\.\//, '');
      const file = join(packagesDir, dir, 'src', `${base}.ts`);
      if (!existsSync(file)) continue;
      const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${base}`;
      const description =
        subpath === '.' ? (manifest.description ?? '') : `The \`${base}\` entry of \`${manifest.name}\`, apart from its main entry${base === 'node' ? ' so that one stays browser-safe' : ''}.`;
      entries.push({ specifier, file, typedocName: subpath === '.' ? `${dir}/src` : `${dir}/src/${base}`, description });
    }
  }
  return entries;
}

/**
 * TypeScript `paths` sending each specifier to its source. Without them, `export * as nn from '@descent/nn'` in the
 * umbrella resolves to `dist/*.d.ts`, which TypeDoc cannot tell from the `src` entry point, and documents every
 * class twice; with them, the umbrella's namespaces are references to the one page per symbol.
 */
export function sourcePaths(entries: readonly EntryPoint[]): Record<string, string[]> {
  return Object.fromEntries(entries.map((e) => [e.specifier, [e.file]]));
}

/** Module names in reference order: the umbrella first, then the rest alphabetically. */
export function referenceOrder(names: readonly string[]): string[] {
  const rest = names.filter((n) => n !== UMBRELLA).sort((a, b) => a.localeCompare(b));
  return names.includes(UMBRELLA) ? [UMBRELLA, ...rest] : rest;
}
