import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// torch.mode over a row holding NaN raised "index -1 is out of bounds"; and past 16 elements PyTorch's CPU kernel
// (std::sort of (value, index) pairs, then the longest run) returns other indices of the mode than the last one.
// fixtures/gen_mode_ties.py (real PyTorch 1.13).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('mode-ties', new URL('./fixtures/', import.meta.url));

interface ModeCase {
  shape: number[];
  dtype: 'float32' | 'int64';
  data: (number | null)[];
  dim: number;
  keepdim: boolean;
  out_shape: number[];
  indices: number[];
  values: (number | null)[];
}

describe("torch.mode picks PyTorch's value and index among ties and NaNs", () => {
  it.each((golden.cases as ModeCase[]).map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const data = c.data.map((v) => v ?? NaN);
    const x = torch.tensor(c.dtype === 'int64' ? data.map((v) => BigInt(v)) : data, { dtype: c.dtype }).reshape(c.shape);
    const { values, indices } = torch.mode(x, c.dim, c.keepdim);
    expect(values.shape).toEqual(c.out_shape);
    expect((indices.reshape(-1).tolist() as number[]).map(Number)).toEqual(c.indices);
    expect((values.reshape(-1).tolist() as number[]).map((v) => (Number.isNaN(Number(v)) ? null : Number(v)))).toEqual(c.values);
  });
});
