import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// torch.sort and torch.argsort were always stable; PyTorch's CPU kernel runs std::sort unless stable=True, which
// reorders equal values past 16 elements. fixtures/gen_sort_ties.py (real PyTorch 1.13).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('sort-ties', new URL('./fixtures/', import.meta.url));

interface SortCase {
  fn: 'sort' | 'argsort';
  shape: number[];
  dtype: 'float32' | 'int64';
  data: (number | null)[];
  dim: number;
  descending: boolean;
  stable: boolean | null;
  indices: number[];
}

describe('sort and argsort order equal values as PyTorch', () => {
  it.each((golden.cases as SortCase[]).map((c, i) => [i, c.fn, c] as const))('case %i (%s)', (_, fn, c) => {
    const data = c.data.map((v) => v ?? NaN);
    const x = torch.tensor(c.dtype === 'int64' ? data.map((v) => BigInt(v)) : data, { dtype: c.dtype }).reshape(c.shape);
    const options = { descending: c.descending, ...(c.stable === null ? {} : { stable: c.stable }) };
    const indices = fn === 'sort' ? torch.sort(x, c.dim, options).indices : torch.argsort(x, c.dim, options);
    expect((indices.reshape(-1).tolist() as number[]).map(Number)).toEqual(c.indices);
  });
});
