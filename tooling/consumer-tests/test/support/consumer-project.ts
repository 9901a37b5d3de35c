import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { listInstalled, resolvedFrom, type InstalledPackage } from './installed.js';
import { run, userEnv, type RunResult } from './run.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');

export interface ConsumerProject {
  readonly directory: string;
  /** What npm placed under node_modules, nested copies included. */
  installed(): InstalledPackage[];
  /** npm's `resolved` for each install path. */
  resolved(): Record<string, string | undefined>;
  /** Runs one of the project's files with Node, from the project directory. */
  node(file: string, options?: { allowFailure?: boolean }): Promise<RunResult>;
  /** Type-checks the fixture's TypeScript (its tsconfig.json, or `tsconfig`: strict, skipLibCheck off) against the installed declarations. */
  typecheck(tsconfig?: string): Promise<RunResult>;
}

export interface ConsumerProjectOptions {
  /** Third-party tools the project itself installs from the registry, pinned (`esbuild@0.28.2`), in the same `npm install`. */
  readonly registry?: readonly string[];
}

/**
 * A fresh npm project outside the workspace that installs exactly the given packages from their tarballs, all in
 * one `npm install` so the `^x.y.z` ranges between them resolve to these files, then receives
 * `fixtures/<fixture>/*` (programs that import the packages as a user would).
 */
export async function createConsumerProject(
  fixture: string,
  packages: readonly string[],
  options: ConsumerProjectOptions = {},
): Promise<ConsumerProject> {
  const tarballs = inject('tarballs');
  const directory = join(inject('scratch'), fixture);
  mkdirSync(directory);
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify({ name: `consumer-${fixture}`, private: true, type: 'module' }, null, 2)}\n`);
  const specs = packages.map((name) => {
    if (!tarballs[name]) throw new Error(`no tarball for ${name}; packed: ${Object.keys(tarballs).join(', ')}`);
    return tarballs[name];
  });
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs, ...(options.registry ?? [])], {
    cwd: directory,
    env: userEnv(),
    timeoutMs: 120_000,
  });
  cpSync(join(FIXTURES, fixture), directory, { recursive: true });
  return {
    directory,
    installed: () => listInstalled(directory),
    resolved: () => resolvedFrom(directory),
    node: (file, options = {}) => run(process.execPath, [file], { cwd: directory, env: userEnv(), allowFailure: options.allowFailure }),
    typecheck: (tsconfig = 'tsconfig.json') => run(process.execPath, [TSC, '-p', tsconfig], { cwd: directory, env: userEnv() }),
  };
}
