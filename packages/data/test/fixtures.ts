// Loads the PyTorch golden files (see shared/fixtures/README.md).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// packages/data/test -> repository root.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function fixtureDirs(): string[] {
  const dirs = [join(repoRoot, '..', 'shared', 'fixtures', 'pytorch'), join(repoRoot, 'fixtures', 'pytorch')];
  const fromEnv = process.env.DESCENT_FIXTURES;
  return fromEnv ? [fromEnv, ...dirs] : dirs;
}

// Python's json writes NaN, Infinity and -Infinity as bare tokens, which JSON.parse rejects.
const MARK = '\u0000py:';
const PY_TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/** JSON.parse that also accepts Python's NaN / Infinity / -Infinity tokens. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function parsePythonJson(text: string): any {
  const quoted = text.replace(PY_TOKENS, (m) => (m.startsWith('"') ? m : JSON.stringify(MARK + m)));
  return JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : value,
  );
}

/** A golden file by name ('print' or 'print.json'), from the first fixture directory that has it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function loadFixture(name: string): any {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  for (const dir of fixtureDirs()) {
    const path = join(dir, file);
    if (existsSync(path)) return parsePythonJson(readFileSync(path, 'utf8'));
  }
  throw new Error(`fixture ${file} not found in ${fixtureDirs().join(', ')} (set DESCENT_FIXTURES)`);
}

/** A golden file generated for this package (test/fixtures/NAME.json, see tooling/fixtures/). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function loadLocalFixture(name: string): any {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  return parsePythonJson(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', file), 'utf8'));
}
