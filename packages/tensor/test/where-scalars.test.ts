import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `torch.where(outputs > 0.5, 1, 0)` (pytorch/examples siamese_network) crashed with "Cannot read properties of
// undefined": with no tensor among the values there was no device to put them on. fixtures/gen_where_scalars.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('where-scalars', new URL('./fixtures/', import.meta.url));

const cond = torch.tensor([[0.7, 0.2, 0.5], [0.9, 0.1, 0.6]]).gt(0.5);
const check = (t: torch.Tensor, want: { shape: number[]; dtype: string; data: unknown[] }) => {
  expect(t.shape).toEqual(want.shape);
  expect(t.dtype).toBe(want.dtype);
  expect((t.flatten().tolist() as unknown[]).map((v) => (typeof v === 'bigint' ? Number(v) : v))).toEqual(want.data);
};

describe('torch.where with two numbers, as in PyTorch', () => {
  it('puts them on the condition’s device with their result type', () => {
    check(torch.where(cond, 1, 0), golden.ints);
    check(torch.where(cond, 1.5, -0.5), golden.floats);
    check(torch.where(cond, true, false), golden.bools);
    check(torch.where(cond, 2, 0.25), golden.int_float);
  });
});
