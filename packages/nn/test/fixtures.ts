// Loads the PyTorch golden files: the shared ones (see shared/fixtures/README.md) and this package's own
// test/fixtures/nn-extra.json (written by tooling/fixtures/gen_nn_extra.py).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { fromArray, type Tensor } from '@descent/tensor';

const here = dirname(fileURLToPath(import.meta.url));
// packages/nn/test -> repository root.
const repoRoot = resolve(here, '../../..');

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

/** A shared golden file by name ('ops' or 'ops.json'). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function loadFixture(name: string): any {
  const file = name.endsWith('.json') ? name : `${name}.json`;
  for (const dir of fixtureDirs()) {
    const path = join(dir, file);
    if (existsSync(path)) return parsePythonJson(readFileSync(path, 'utf8'));
  }
  throw new Error(`fixture ${file} not found in ${fixtureDirs().join(', ')} (set DESCENT_FIXTURES)`);
}

/** This package's own golden file, test/fixtures/nn-extra.json. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function loadNnExtra(): any {
  return parsePythonJson(readFileSync(join(here, 'fixtures', 'nn-extra.json'), 'utf8'));
}

export interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

export function fromFixture(t: FixtureTensor, requiresGrad = false): Tensor {
  const data = t.dtype.startsWith('int')
    ? Int32Array.from(t.data)
    : t.dtype === 'bool'
      ? Uint8Array.from(t.data)
      : Float32Array.from(t.data);
  const x = fromArray(data, t.shape);
  return requiresGrad ? x.requiresGrad_(true) : x;
}

/** Asserts shape and values within `rtol * |expected| + atol`, naming the first element that differs. */
export function expectClose(actual: Tensor, expected: FixtureTensor, rtol = 1e-5, atol = 1e-6, label = ''): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  const got = actual.dataSync();
  expected.data.forEach((e, i) => {
    const a = got[i];
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) throw new Error(`${label} element ${i}: got ${a}, expected ${e} (shape [${expected.shape}])`);
  });
}

/** Asserts exact (bit-for-bit float32) equality with a golden tensor. */
export function expectExact(actual: Tensor, expected: FixtureTensor, label = ''): void {
  expect(actual.shape, `${label} shape`).toEqual(expected.shape);
  expect(Array.from(actual.dataSync()), label).toEqual(expected.data.map((v) => Math.fround(v)));
}
