import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// torch.kthvalue over equal values returned the index a stable sort gives; PyTorch's CPU kernel partitions each row
// with ATen's quick_select_template, which returns others. fixtures/gen_kthvalue_ties.py (real PyTorch 1.13).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('kthvalue-ties', new URL('./fixtures/', import.meta.url));

interface KthCase {
  k: number;
  shape: number[];
  dtype: 'float32' | 'int64';
  data: (number | null)[];
  dim: number;
  keepdim: boolean;
  out_shape: number[];
  indices: number[];
  values: (number | null)[];
}

describe("torch.kthvalue picks PyTorch's index among ties and NaNs", () => {
  it.each((golden.cases as KthCase[]).map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const data = c.data.map((v) => v ?? NaN);
    const x = torch.tensor(c.dtype === 'int64' ? data.map((v) => BigInt(v)) : data, { dtype: c.dtype }).reshape(c.shape);
    const { values, indices } = torch.kthvalue(x, c.k, c.dim, c.keepdim);
    expect(values.shape).toEqual(c.out_shape);
    expect((indices.reshape(-1).tolist() as number[]).map(Number)).toEqual(c.indices);
    expect((values.reshape(-1).tolist() as number[]).map((v) => (Number.isNaN(Number(v)) ? null : Number(v)))).toEqual(c.values);
  });
});
