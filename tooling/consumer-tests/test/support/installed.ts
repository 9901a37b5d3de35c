import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface InstalledPackage {
  readonly name: string;
  readonly version: string;
  /** Where it lies, relative to the project: `node_modules/@descent/tensor`, or nested deeper. */
  readonly path: string;
}

/** Every package under the project's node_modules, nested copies included: what `npm install` really placed. */
export function listInstalled(projectDirectory: string): InstalledPackage[] {
  const found: InstalledPackage[] = [];
  const visit = (nodeModules: string) => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const directories = entry.name.startsWith('@')
        ? readdirSync(join(nodeModules, entry.name)).map((name) => join(nodeModules, entry.name, name))
        : [join(nodeModules, entry.name)];
      for (const directory of directories) {
        const manifestPath = join(directory, 'package.json');
        if (!existsSync(manifestPath)) continue;
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; version: string };
        found.push({ name: manifest.name, version: manifest.version, path: relative(projectDirectory, directory).split('\\').join('/') });
        visit(join(directory, 'node_modules'));
      }
    }
  };
  visit(join(projectDirectory, 'node_modules'));
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** Where npm says each package came from (`resolved` in its hidden lockfile), by install path. */
export function resolvedFrom(projectDirectory: string): Record<string, string | undefined> {
  const lockfile = JSON.parse(readFileSync(join(projectDirectory, 'node_modules/.package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string }>;
  };
  return Object.fromEntries(Object.entries(lockfile.packages).map(([path, entry]) => [path, entry.resolved]));
}
