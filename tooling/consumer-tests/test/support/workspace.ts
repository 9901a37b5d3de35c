import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: tooling/consumer-tests/test/support -> ../../../.. */
export const WORKSPACE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface WorkspacePackage {
  readonly name: string;
  readonly version: string;
  readonly directory: string;
  readonly manifest: Record<string, unknown>;
}

/** The publishable packages: packages/* that are not private. */
export function publicPackages(root = WORKSPACE_ROOT): WorkspacePackage[] {
  const packagesDirectory = join(root, 'packages');
  return readdirSync(packagesDirectory)
    .map((name) => join(packagesDirectory, name))
    .filter((directory) => existsSync(join(directory, 'package.json')))
    .map((directory) => {
      const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Record<string, unknown>;
      return { name: manifest.name as string, version: manifest.version as string, directory, manifest };
    })
    .filter((entry) => entry.manifest.private !== true);
}

/** Fails when `directory` lies inside the workspace, where Node and npm would find the workspace's node_modules. */
export function assertOutsideWorkspace(directory: string): void {
  const inside = !relative(WORKSPACE_ROOT, directory).startsWith('..');
  if (inside) {
    throw new Error(`${directory} is inside the workspace ${WORKSPACE_ROOT}; point TMPDIR elsewhere so installs are isolated`);
  }
}

/**
 * Copies the working tree as git sees it (tracked files plus untracked ones that are not ignored, so work in
 * progress is included; no node_modules, dist or .turbo) to `destination`.
 */
export function copyWorkspace(destination: string): void {
  assertOutsideWorkspace(destination);
  let listing: string;
  try {
    listing = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' });
  } catch (error) {
    throw new Error(`copying the workspace needs git and a checkout with .git (${(error as Error).message})`);
  }
  for (const file of listing.split('\0').filter(Boolean)) {
    const source = join(WORKSPACE_ROOT, file);
    // Deleted but not yet staged files are still listed.
    if (!existsSync(source) || !statSync(source).isFile()) continue;
    const target = join(destination, file);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target);
  }
}

/** Copies each package's built dist/ into the same place under `destination` (they are git-ignored). */
export function copyBuiltOutputs(destination: string, root = WORKSPACE_ROOT): void {
  for (const { directory, name } of publicPackages(root)) {
    const dist = join(directory, 'dist');
    if (!existsSync(dist)) throw new Error(`${name} has no dist/: build the workspace first (pnpm build)`);
    cpSync(dist, join(destination, relative(root, dist)), { recursive: true });
  }
}
