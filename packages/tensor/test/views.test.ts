import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

const grid = () => torch.arange(12, { dtype: 'float32' }).reshape(3, 4);
const sharesStorage = (a: torch.Tensor, b: torch.Tensor) => a._storage === b._storage;

describe('views share storage, as in PyTorch', () => {
  it('reshape/view (with -1), t, transpose, permute, unsqueeze, squeeze, expand, flatten', () => {
    const x = grid();
    for (const v of [x.view(-1), x.reshape(2, -1), x.t(), x.transpose(0, 1), x.permute(1, 0), x.unsqueeze(0), x.unsqueeze(0).squeeze(), x.flatten(), x.index('...', 0)]) {
      expect(sharesStorage(v, x)).toBe(true);
    }
    expect(x.view(-1, 6).shape).toEqual([2, 6]);
    expect(x.t().tolist()).toEqual([[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]]);
    expect(x.t().isContiguous()).toBe(false);
    expect(x.permute(1, 0).stride()).toEqual([1, 4]);
    const e = torch.tensor([[1], [2]]).expand(2, 3);
    expect(e.stride()).toEqual([1, 0]);
    expect(e.tolist()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(torch.zeros(2, 1, 3, 1).squeeze(1).shape).toEqual([2, 3, 1]);
    expect(torch.zeros(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
  });

  it('slicing with start:stop:step, select and narrow, and writing through a slice', () => {
    const x = grid();
    expect(x.index('1:3', '::2').tolist()).toEqual([[4, 6], [8, 10]]);
    expect(x.index(-1).tolist()).toEqual([8, 9, 10, 11]);
    expect(x.index(':', 1).tolist()).toEqual([1, 5, 9]);
    expect(x.index(null, 0).shape).toEqual([1, 4]);
    expect(x.select(1, -1).tolist()).toEqual([3, 7, 11]);
    expect(x.narrow(1, 1, 2).tolist()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(x.index(torch.sliceSpec(null, null, 3)).tolist()).toEqual([[0, 1, 2, 3]]);
    expect(x.index('5:').shape).toEqual([0, 4]);
    const col = x.index(':', 1);
    col.fill_(-1);
    expect(x.tolist()).toEqual([[0, -1, 2, 3], [4, -1, 6, 7], [8, -1, 10, 11]]);
    x.index('0:2', '2:').mul_(10);
    expect(x.index(0).tolist()).toEqual([0, -1, 20, 30]);
  });

  it('contiguous copies only when needed; clone always copies', () => {
    const x = grid();
    expect(x.contiguous()).toBe(x);
    const c = x.t().contiguous();
    expect(c.isContiguous()).toBe(true);
    expect(sharesStorage(c, x)).toBe(false);
    expect(sharesStorage(x.clone(), x)).toBe(false);
    expect(x.t().reshape(12).tolist()).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });

  it('view of non-viewable memory fails with PyTorch message; reshape copies instead', () => {
    expect(() => grid().t().view(12)).toThrow(/view size is not compatible with input tensor's size and stride/);
    expect(() => grid().view(5, -1)).toThrow("shape '[5, -1]' is invalid for input of size 12");
  });
});
