// Loads this package's PyTorch golden files (written by tooling/fixtures/gen_backend_edge_cases.py).

import { readFileSync } from 'node:fs';

// Python's json writes NaN, Infinity and -Infinity as bare tokens, which JSON.parse rejects.
const MARK = '\u0000py:';
const PY_TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/** JSON.parse that also accepts Python's NaN / Infinity / -Infinity tokens. */
export function parsePythonJson<T>(text: string): T {
  const quoted = text.replace(PY_TOKENS, (m) => (m.startsWith('"') ? m : JSON.stringify(MARK + m)));
  return JSON.parse(quoted, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(MARK) ? Number(value.slice(MARK.length)) : value,
  ) as T;
}

export function loadFixture<T>(name: string): T {
  return parsePythonJson<T>(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
}
