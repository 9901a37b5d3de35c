// Checks for layers built with their required arguments by keyword, against fixtures/keyword-required.json
// (fixtures/gen_keyword_required.py, PyTorch 1.13).
import { expect } from 'vitest';
import * as torch from '@descent/tensor';
import type * as nn from '../src/index.js';
import { loadFixture } from './fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
export const keywordGolden: any = loadFixture('keyword-required', new URL('./fixtures/', import.meta.url));
const golden = keywordGolden;

/** The module as PyTorch 1.13 builds it under manual_seed(0): its repr and every parameter. */
export function expectLikePyTorch(key: string, build: () => nn.Module): void {
  const want = golden.modules[key];
  torch.manualSeed(0);
  const m = build();
  expect(String(m), key).toBe(want.repr);
  const params = m.namedParameters();
  expect(params.map(([name]) => name), key).toEqual(want.params.map(([name]: [string]) => name));
  params.forEach(([name, p], i) => {
    const values = p.flatten().tolist() as number[];
    values.forEach((v, j) => expect(v, `${key}.${name}[${j}]`).toBeCloseTo(want.params[i][1][j], 5));
  });
}

export /** The keyword form builds what the positional form builds, under the same seed. */
function expectSameAs(keyword: () => nn.Module, positional: () => nn.Module): void {
  torch.manualSeed(0);
  const a = keyword();
  torch.manualSeed(0);
  const b = positional();
  expect(String(a)).toBe(String(b));
  expect(a.parameters().map((p) => p.tolist())).toEqual(b.parameters().map((p) => p.tolist()));
}
