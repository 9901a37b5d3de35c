import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { run, userEnv } from './support/run.js';
import { WORKSPACE_ROOT, copyWorkspace } from './support/workspace.js';

type Bump = 'major' | 'minor' | 'patch';
type Manifest = { name: string; version: string; private?: boolean } & Partial<Record<DependencyField, Record<string, string>>>;
type DependencyField = 'dependencies' | 'peerDependencies' | 'optionalDependencies' | 'devDependencies';

const config = JSON.parse(readFileSync(join(WORKSPACE_ROOT, '.changeset/config.json'), 'utf8'));

function readManifests(root: string): Manifest[] {
  return ['packages', 'apps', 'tooling'].flatMap((group) => {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, group));
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(root, group, name, 'package.json'), 'utf8')) as Manifest];
      } catch {
        return [];
      }
    });
  });
}

function bump(version: string, type: Bump): string {
  const [major, minor, patch] = version.split('.').map(Number);
  if (type === 'major') return `${major + 1}.0.0`;
  if (type === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Whether `version` satisfies a workspace range (`workspace:^`, `workspace:~`, `workspace:*`) written at `current`. */
function satisfiesWorkspaceRange(range: string, current: string, version: string): boolean {
  const [major, minor] = current.split('.').map(Number);
  const [nextMajor, nextMinor] = version.split('.').map(Number);
  if (range === 'workspace:*') return version === current;
  if (range === 'workspace:~') return nextMajor === major && nextMinor === minor;
  if (range === 'workspace:^') return nextMajor === major && (major > 0 || nextMinor === minor);
  throw new Error(`this test models workspace:^, workspace:~ and workspace:* ranges; extend it for ${range}`);
}

/**
 * The versions changesets should write, by the rules `.changeset/config.json` selects: the named package gets its
 * bump; a public package that depends on a bumped one (dependencies, peerDependencies, optionalDependencies; not
 * devDependencies) gets a patch bump when the new version leaves its range, and so on down the graph. With
 * `updateInternalDependencies: "patch"` its range is then updated; ours stay `workspace:^`, which `pnpm pack`
 * turns into `^<new version>`.
 */
function expectedVersions(manifests: Manifest[], named: string, type: Bump): Map<string, string> {
  const released = new Map<string, string>();
  const byName = new Map(manifests.map((m) => [m.name, m]));
  const queue = [named];
  released.set(named, bump(byName.get(named)!.version, type));
  while (queue.length > 0) {
    const dependency = queue.shift()!;
    const next = released.get(dependency)!;
    for (const dependent of manifests) {
      if (dependent.private || released.has(dependent.name)) continue;
      const ranges = (['dependencies', 'peerDependencies', 'optionalDependencies'] as const)
        .map((field) => dependent[field]?.[dependency])
        .filter((range): range is string => range !== undefined);
      if (ranges.some((range) => !satisfiesWorkspaceRange(range, byName.get(dependency)!.version, next))) {
        released.set(dependent.name, bump(dependent.version, 'patch'));
        queue.push(dependent.name);
      }
    }
  }
  return released;
}

/** Copies the repository, replaces the pending changesets with one sample, runs `pnpm changeset version`. */
async function versionSample(name: string, type: Bump): Promise<{ before: Manifest[]; after: Manifest[]; root: string }> {
  const root = join(inject('scratch'), `changeset-${name.replace(/\W/g, '-')}-${type}`);
  mkdirSync(root);
  copyWorkspace(root);
  symlinkSync(join(WORKSPACE_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const file of readdirSync(join(root, '.changeset'))) {
    if (file.endsWith('.md') && file !== 'README.md') rmSync(join(root, '.changeset', file));
  }
  writeFileSync(join(root, '.changeset/sample-change.md'), `---\n"${name}": ${type}\n---\n\nA sample ${type} change to ${name}.\n`);
  const before = readManifests(root);
  await run('pnpm', ['changeset', 'version'], { cwd: root, env: userEnv() });
  return { before, after: readManifests(root), root };
}

function versionsOf(manifests: Manifest[]): Record<string, string> {
  return Object.fromEntries(manifests.map((m) => [m.name, m.version]));
}

describe('changesets: independent versions', () => {
  it('is configured for independent versions: no fixed or linked groups, private packages never versioned', () => {
    expect(config.fixed).toEqual([]);
    expect(config.linked).toEqual([]);
    expect(config.privatePackages).toEqual({ version: false, tag: false });
    expect(config.updateInternalDependencies).toBe('patch');
  });

  it('a minor change to @descent/tensor bumps tensor and, by patch, the packages that depend on it; no one else', async () => {
    const { before, after, root } = await versionSample('@descent/tensor', 'minor');
    const expected = expectedVersions(before, '@descent/tensor', 'minor');
    const changed = Object.fromEntries(Object.entries(versionsOf(after)).filter(([name, version]) => versionsOf(before)[name] !== version));
    expect(changed).toEqual(Object.fromEntries(expected));
    // What the docs promise, spelled out: the layers above tensor move, the backends below do not.
    expect(Object.keys(changed).sort()).toEqual(['@descent/autograd', '@descent/data', '@descent/nn', '@descent/optim', '@descent/tensor', '@descent/torch']);
    expect(changed['@descent/tensor']).toBe(bump(versionsOf(before)['@descent/tensor'], 'minor'));
    // Ranges stay on the workspace protocol; `pnpm pack` writes the new version into the tarball.
    expect(after.find((m) => m.name === '@descent/nn')!.dependencies!['@descent/tensor']).toBe('workspace:^');
    expect(readFileSync(join(root, 'packages/tensor/CHANGELOG.md'), 'utf8')).toContain('A sample minor change to @descent/tensor.');
    expect(readFileSync(join(root, 'packages/nn/CHANGELOG.md'), 'utf8')).toContain(`@descent/tensor@${changed['@descent/tensor']}`);
  });

  it('a patch to @descent/tensor stays in every range, so only tensor is bumped', async () => {
    const { before, after } = await versionSample('@descent/tensor', 'patch');
    const changed = Object.entries(versionsOf(after)).filter(([name, version]) => versionsOf(before)[name] !== version);
    expect(Object.fromEntries(changed)).toEqual(Object.fromEntries(expectedVersions(before, '@descent/tensor', 'patch')));
    expect(changed.map(([name]) => name)).toEqual(['@descent/tensor']);
  });

  it('a minor change to @descent/backend moves its direct dependents; tensor’s patch stays in range above it', async () => {
    const { before, after } = await versionSample('@descent/backend', 'minor');
    const changed = Object.fromEntries(Object.entries(versionsOf(after)).filter(([name, version]) => versionsOf(before)[name] !== version));
    expect(changed).toEqual(Object.fromEntries(expectedVersions(before, '@descent/backend', 'minor')));
    expect(Object.keys(changed)).toContain('@descent/tensor');
    expect(Object.keys(changed)).not.toContain('@descent/nn');
  });
});
