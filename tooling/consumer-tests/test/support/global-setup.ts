import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { run } from './run.js';
import { WORKSPACE_ROOT, assertOutsideWorkspace, publicPackages } from './workspace.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name -> path of its tarball, as `pnpm pack` wrote it. */
    tarballs: Record<string, string>;
    /** A temporary directory outside the workspace for this run's projects and copies. */
    scratch: string;
  }
}

/**
 * Packs every publishable package once, with `pnpm pack` (which rewrites `workspace:` ranges to real versions,
 * as `pnpm publish` does), into a temporary directory outside the workspace.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const scratch = mkdtempSync(join(tmpdir(), 'descent-consumer-'));
  assertOutsideWorkspace(scratch);
  const destination = join(scratch, 'tarballs');
  mkdirSync(destination);
  const packages = publicPackages();
  for (const { name, directory } of packages) {
    if (!existsSync(join(directory, 'dist'))) throw new Error(`${name} has no dist/: build it first (pnpm build)`);
  }
  const { stdout } = await run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--json', '--pack-destination', destination], {
    cwd: WORKSPACE_ROOT,
  });
  const packed = new Map(
    (JSON.parse(stdout.slice(stdout.indexOf('['))) as { name: string; filename: string }[]).map((entry) => [entry.name, entry.filename]),
  );
  for (const { name } of packages) if (!packed.has(name)) throw new Error(`pnpm pack wrote no tarball for ${name}:\n${stdout}`);
  project.provide('tarballs', Object.fromEntries(packed));
  project.provide('scratch', scratch);
  return () => {
    if (process.env.DESCENT_KEEP_CONSUMER_TMP) console.log(`consumer tests: kept ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  };
}
