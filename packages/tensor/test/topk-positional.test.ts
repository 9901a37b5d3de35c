import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './fixtures.js';

// `output.topk(maxk, 1, True, True)` (pytorch/examples imagenet): largest and sorted came only in an options object,
// and a positional `false` was silently read as an (empty) options object, giving the largest instead of the
// smallest. fixtures/gen_topk_positional.py.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('topk-positional', new URL('./fixtures/', import.meta.url));

const x = torch.tensor(golden.x as number[][], { dtype: 'float32' });
const vi = (r: { values: torch.Tensor; indices: torch.Tensor }) => ({ values: r.values.tolist(), indices: r.indices.tolist() });

describe('topk takes largest and sorted as PyTorch does', () => {
  it('positionally, as a method and as torch.topk', () => {
    expect(vi(x.topk(2, 1, true, true))).toEqual(golden.largest_sorted);
    expect(vi(x.topk(2, 1, false))).toEqual(golden.smallest);
    expect(vi(x.topk(3, 0, false, true))).toEqual(golden.smallest_sorted);
    expect(vi(torch.topk(x, 2, 0, false))).toEqual(golden.function);
  });

  it('by keyword, and destructures as [values, indices]', () => {
    expect(vi(x.topk(2, { largest: false }))).toEqual(golden.keyword);
    // d2l's word2vec: `torch.topk(cos, k=k+1)`, k itself by keyword
    expect(vi(torch.topk(x.index(0), { k: 3 }))).toEqual(golden.k_keyword);
    expect(vi(x.topk({ k: 1, dim: 0, largest: false }))).toEqual(golden.all_keywords);
    expect(() => x.topk({ dim: 0 } as never)).toThrow(new TypeError(golden.missing_k));
    const [, pred] = x.topk(2, 1, true, true);
    expect(pred.tolist()).toEqual(golden.largest_sorted.indices);
  });

  it("raises PyTorch's TypeErrors", () => {
    expect(() => x.topk(2, 1, false, { largest: true })).toThrow(new TypeError(golden.both));
    expect(() => x.topk(2, 1, false, true, { foo: 1 } as never)).toThrow(new TypeError(golden.unknown));
  });
});
