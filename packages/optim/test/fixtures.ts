// Loads the PyTorch golden files (see shared/fixtures/README.md): the shared ones, and this package's own
// test/fixtures/*.json (written by tooling/fixtures/gen_optim_extra.py).

import { fromArray, type Tensor } from '@descent/tensor';
import { loadFixture as loadShared } from '@descent/test-fixtures';

/** A golden file: this package's own test/fixtures first, then the shared ones. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export function loadFixture(name: string): any {
  return loadShared(name, new URL('./fixtures/', import.meta.url));
}

/** A fixture tensor: {shape, dtype: 'float32', data}. */
export interface FixtureTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

export function fromFixture(t: FixtureTensor): Tensor {
  if (t.dtype !== 'float32') throw new Error(`unexpected fixture dtype ${t.dtype}`);
  return fromArray(Float32Array.from(t.data), t.shape);
}

/** Python keyword arguments `lr=0.05, betas=(0.8, 0.99), amsgrad=True, mode='max'` as camelCase options. */
export function parseCall(call: string): { name: string; options: Record<string, unknown> } {
  const match = /^(\w+)\((.*)\)$/s.exec(call.trim());
  if (!match) throw new Error(`cannot parse ${call}`);
  const options: Record<string, unknown> = {};
  for (const argument of splitTopLevel(match[2])) {
    const eq = argument.indexOf('=');
    options[camelCase(argument.slice(0, eq).trim())] = parseValue(argument.slice(eq + 1).trim());
  }
  return { name: match[1], options };
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') parts.push(current);
  return parts;
}

function parseValue(text: string): unknown {
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  if (text.startsWith("'") || text.startsWith('"')) return text.slice(1, -1);
  if (text.startsWith('(') || text.startsWith('[')) return splitTopLevel(text.slice(1, -1)).map((v) => parseValue(v.trim()));
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`cannot parse value ${text}`);
  return value;
}

/** weight_decay -> weightDecay; T_max -> TMax; T_0 -> T0. */
export function camelCase(name: string): string {
  return name.replace(/_([a-zA-Z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Asserts `actual` is within `rtol * |expected| + atol` of `expected`, element by element. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    if (!(diff <= rtol * Math.abs(expected[i]) + atol)) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (diff ${diff.toExponential(2)})`);
    }
  }
}
