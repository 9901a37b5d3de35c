import { expect } from 'vitest';
import type { ConsumerProject } from './consumer-project.js';

/** Names of the installed packages, each once, sorted. */
export function installedNames(project: ConsumerProject): string[] {
  return [...new Set(project.installed().map((entry) => entry.name))].sort();
}

/** Every Descent package in the project came from this run's tarballs, never from a registry. */
export function expectDescentFromTarballs(project: ConsumerProject): void {
  const resolved = project.resolved();
  const descentPaths = project.installed().filter((entry) => entry.name.startsWith('@descent/'));
  expect(descentPaths.length).toBeGreaterThan(0);
  for (const { path } of descentPaths) expect(resolved[path], path).toMatch(/^file:.*\.tgz$/);
}

/** Exactly one copy of `name`, at the top of node_modules (so every package shares its state). */
export function expectSingleCopy(project: ConsumerProject, name: string): void {
  expect(project.installed().filter((entry) => entry.name === name).map((entry) => entry.path)).toEqual([`node_modules/${name}`]);
}
