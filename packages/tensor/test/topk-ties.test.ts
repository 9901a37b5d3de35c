import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `output.topk(1)` over equal values picked the lowest index (a stable sort); PyTorch's CPU topk runs libstdc++'s
// nth_element / partial_sort, which pick others. fixtures/gen_topk_ties.py (real PyTorch 1.13), rows full of ties.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('topk-ties', new URL('./fixtures/', import.meta.url));

interface TopkCase {
  shape: number[];
  dtype: 'float32' | 'int64';
  data: (number | null)[];
  k: number;
  dim: number;
  largest: boolean;
  sorted: boolean;
  indices: number[];
  values: (number | null)[];
}

describe("topk picks among ties as PyTorch's CPU kernel", () => {
  it.each((golden.cases as TopkCase[]).map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const values = c.data.map((v) => v ?? NaN);
    const x = torch.tensor(c.dtype === 'int64' ? values.map((v) => BigInt(v)) : values, { dtype: c.dtype }).reshape(c.shape);
    const result = torch.topk(x, c.k, c.dim, c.largest, c.sorted);
    expect((result.indices.reshape(-1).tolist() as number[]).map(Number)).toEqual(c.indices);
    expect((result.values.reshape(-1).tolist() as number[]).map((v) => (Number.isNaN(Number(v)) ? null : Number(v)))).toEqual(c.values);
  });
});
