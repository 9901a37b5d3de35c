// Loads the PyTorch golden files (see fixtures/README.md at the repository root).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// apps/demo/test -> repository root.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function fixtureDirs(): string[] {
  const dirs = [join(repoRoot, '..', 'shared', 'fixtures', 'pytorch'), join(repoRoot, 'fixtures', 'pytorch')];
  const fromEnv = process.env.DESCENT_FIXTURES;
  return fromEnv ? [fromEnv, ...dirs] : dirs;
}

// Python's json writes NaN, Infinity and -Infinity as bare tokens, which JSON.parse rejects.
const MARK = '\u0000py:';
const PY_TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
function parsePythonJson(text: string): any {
  const quoted = text.replace(PY_TOKENS, (m) => (m.startsWith('"') ? m : JSON.stringify(MARK + m)));
  return JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : value,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
function loadFixture(name: string): any {
  const file = `${name}.json`;
  for (const dir of fixtureDirs()) {
    const path = join(dir, file);
    if (existsSync(path)) return parsePythonJson(readFileSync(path, 'utf8'));
  }
  throw new Error(`fixture ${file} not found in ${fixtureDirs().join(', ')} (set DESCENT_FIXTURES)`);
}

/**
 * The notebooks.json case whose name starts with `name` (and has `seed`, when given): PyTorch 1.13's trace of a
 * seed notebook.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function notebookCase(name: string, seed?: number): any {
  const found = loadFixture('notebooks').cases.find(
    (c: { notebook: string; seed?: number }) => c.notebook.startsWith(name) && (seed === undefined || c.seed === seed),
  );
  if (!found) throw new Error(`notebooks.json has no case "${name}"${seed === undefined ? '' : ` with seed ${seed}`}`);
  return found;
}
