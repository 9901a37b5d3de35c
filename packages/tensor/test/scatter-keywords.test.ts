import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

// Expected values: PyTorch 1.13 running test/fixtures/gen_scatter_keywords.py.
const golden = JSON.parse(readFileSync(new URL('./fixtures/scatter-keywords.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('scatter with value/src by keyword and a 0-d index', () => {
  it("makes the quickstart's one-hot target: zeros(10).scatter_(0, tensor(y), value=1)", () => {
    expect(torch.zeros(10, { dtype: 'float32' }).scatter_(0, torch.tensor(3), { value: 1 }).tolist()).toEqual(golden.oneHot);
  });

  it('takes value with reduce, src by keyword, and a 0-d source', () => {
    expect(torch.zeros(2, 3).scatter(1, torch.tensor([[0], [2]]), { value: 5, reduce: 'add' }).tolist()).toEqual(golden.valueReduce);
    expect(torch.zeros(3).scatter(0, torch.tensor([1, 2]), { src: torch.tensor([7, 8], { dtype: 'float32' }) }).tolist()).toEqual(golden.srcKeyword);
    expect(torch.zeros(3).scatter(0, torch.tensor(1), torch.tensor(9, { dtype: 'float32' })).tolist()).toEqual(golden.scalarSrc);
  });

  it('needs one of src or value', () => {
    expect(() => torch.zeros(3).scatter(0, torch.tensor([1]), {})).toThrow('scatter() expected one of src or value');
    expect(() => torch.zeros(3).scatter(0, torch.tensor([1]), { value: 1, src: torch.ones(1) })).toThrow('scatter() expected one of src or value');
  });
});
