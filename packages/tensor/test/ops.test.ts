import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

const f = (data: number[] | number[][]) => torch.tensor(data, { dtype: 'float32' });

describe('elementwise ops, broadcasting and type promotion', () => {
  it('broadcasts like PyTorch', () => {
    const a = f([[1], [2], [3]]);
    const b = f([10, 20]);
    expect(a.add(b).tolist()).toEqual([[11, 21], [12, 22], [13, 23]]);
    expect(a.sub(b).shape).toEqual([3, 2]);
    expect(torch.zeros(2, 1, 3).mul(torch.ones(4, 1)).shape).toEqual([2, 4, 3]);
  });

  it('promotes dtypes as PyTorch does, including wrapped numbers', () => {
    const i = torch.tensor([1, 2, 3]);
    expect(i.add(1).dtype).toBe('int64');
    // A number joins a tensor of its category without changing its dtype; a 0-d tensor likewise.
    expect(torch.tensor([1], { dtype: 'int32' }).add(torch.tensor(5)).dtype).toBe('int32');
    expect(torch.tensor([1], { dtype: 'uint8' }).add(torch.tensor([1], { dtype: 'int8' })).dtype).toBe('int16');
    expect(torch.tensor([1], { dtype: 'int32' }).mul(2.5).dtype).toBe('float32');
    expect(torch.tensor([1.5], { dtype: 'float64' }).add(torch.tensor([1], { dtype: 'float32' })).dtype).toBe('float64');
    expect(i.add(1.5).dtype).toBe('float32');
    expect(i.div(2).tolist()).toEqual([0.5, 1, 1.5]);
    expect(i.mul(f([1, 1, 1])).dtype).toBe('float32');
    expect(torch.tensor([true, false]).add(1).dtype).toBe('int64');
    expect(i.gt(1).dtype).toBe('bool');
    expect(i.pow(2).tolist()).toEqual([1, 4, 9]);
    expect(i.exp().dtype).toBe('float32');
    expect(() => i.pow(-1)).toThrow('Integers to negative integer powers are not allowed.');
  });

  it('unary math, clamp, maximum/minimum and where', () => {
    const x = f([-2, -0.5, 0, 0.5, 2]);
    expect(x.abs().tolist()).toEqual([2, 0.5, 0, 0.5, 2]);
    expect(x.relu().tolist()).toEqual([0, 0, 0, 0.5, 2]);
    expect(x.clamp(-1, 1).tolist()).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(x.clamp(null, 0).tolist()).toEqual([-2, -0.5, 0, 0, 0]);
    expect(x.maximum(f([0, 0, 0, 0, 0])).tolist()).toEqual([0, 0, 0, 0.5, 2]);
    expect(x.minimum(f([0, 0, 0, 0, 0])).tolist()).toEqual([-2, -0.5, 0, 0, 0]);
    expect(torch.where(x.gt(0), x, f([9, 9, 9, 9, 9])).tolist()).toEqual([9, 9, 9, 0.5, 2]);
    expect(x.sigmoid().index(2).item()).toBe(0.5);
    expect(f([0.5, 1.5, 2.5, -0.5]).round().tolist()).toEqual([0, 2, 2, -0]);
    expect(f([1, 4]).sqrt().tolist()).toEqual([1, 2]);
    expect(x.eq(0).tolist()).toEqual([false, false, true, false, false]);
    expect(x.ge(0).logicalAnd(x.le(0.5)).tolist()).toEqual([false, false, true, true, false]);
  });

  it('in-place forms with a trailing underscore', () => {
    const x = f([1, 2, 3]);
    x.add_(1).mul_(2).sub_(f([1, 1, 1]));
    expect(x.tolist()).toEqual([3, 5, 7]);
    x.div_(2);
    expect(x.tolist()).toEqual([1.5, 2.5, 3.5]);
    x.zero_();
    expect(x.tolist()).toEqual([0, 0, 0]);
    x.fill_(4).pow_(2).sqrt_();
    expect(x.tolist()).toEqual([4, 4, 4]);
    x.copy_(f([1, 2, 3]));
    expect(x.tolist()).toEqual([1, 2, 3]);
    const i = torch.tensor([1, 2]);
    expect(() => i.add_(0.5)).toThrow("result type Float can't be cast to the desired output type Long");
    expect(() => f([1, 2]).add_(torch.zeros(3, 2))).toThrow("output with shape [2] doesn't match the broadcast shape [3, 2]");
  });
});

describe('reductions', () => {
  const x = f([[1, 5, 3], [4, 2, 6]]);
  it('sum, mean, prod, var, std with dim and keepdim', () => {
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).tolist()).toEqual([5, 7, 9]);
    expect(x.sum([0, 1]).item()).toBe(21);
    expect(x.sum(1, { keepdim: true }).tolist()).toEqual([[9], [12]]);
    expect(x.mean(-1).tolist()).toEqual([3, 4]);
    expect(x.prod(1).tolist()).toEqual([15, 48]);
    expect(x.var(1).tolist()).toEqual([4, 4]);
    expect(x.var(1, { unbiased: false }).tolist()).toEqual([Math.fround(8 / 3), Math.fround(8 / 3)]);
    expect(x.std().item()).toBeCloseTo(1.8708287, 6);
    expect(torch.tensor([true, true, false]).sum().item()).toBe(2);
  });

  it('max, min, argmax, argmin with and without dim', () => {
    expect(x.max().item()).toBe(6);
    const [values, indices] = x.max(1);
    expect(values.tolist()).toEqual([5, 6]);
    expect(indices.tolist()).toEqual([1, 2]);
    expect(x.min(0).indices.tolist()).toEqual([0, 1, 0]);
    expect(x.argmax().item()).toBe(5);
    expect(x.argmax(1, { keepdim: true }).tolist()).toEqual([[1], [2]]);
    expect(x.argmin(0).dtype).toBe('int64');
    expect(torch.max(x, f([[9, 0, 0], [0, 0, 9]])).tolist()).toEqual([[9, 5, 3], [4, 2, 9]]);
    expect(f([1, NaN, 3]).max().item()).toBeNaN();
  });

  it('softmax and logSoftmax are stable for large inputs', () => {
    const s = f([1000, 1000]).softmax(0).tolist();
    expect(s).toEqual([0.5, 0.5]);
    expect(f([[0, Math.log(3)]]).logSoftmax(1).exp().dataSync()[1]).toBeCloseTo(0.75, 6);
  });
});

describe('matmul and joining', () => {
  it('follows PyTorch rank rules: dot, mv, vm, mm, batched with broadcast', () => {
    const v = f([1, 2, 3]);
    const m = f([[1, 0, 0], [0, 1, 0]]);
    expect(v.matmul(v).item()).toBe(14);
    expect(m.matmul(v).tolist()).toEqual([1, 2]);
    expect(f([1, 1]).matmul(m).tolist()).toEqual([1, 1, 0]);
    expect(m.mm(m.t()).tolist()).toEqual([[1, 0], [0, 1]]);
    expect(torch.ones(4, 2, 3).matmul(torch.ones(3, 5)).shape).toEqual([4, 2, 5]);
    expect(torch.ones(2, 1, 2, 3).matmul(torch.ones(4, 3, 1)).shape).toEqual([2, 4, 2, 1]);
    expect(torch.ones(3, 2, 3).bmm(torch.ones(3, 3, 2)).index(0).tolist()).toEqual([[3, 3], [3, 3]]);
  });

  it('cat, stack, gather, indexSelect', () => {
    const a = f([[1, 2]]);
    const b = f([[3, 4], [5, 6]]);
    expect(torch.cat([a, b]).tolist()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(torch.cat([b, b], 1).shape).toEqual([2, 4]);
    expect(torch.stack([b, b], 2).shape).toEqual([2, 2, 2]);
    expect(b.gather(1, torch.tensor([[1], [0]])).tolist()).toEqual([[4], [5]]);
    expect(b.indexSelect(0, torch.tensor([1, 1, 0])).tolist()).toEqual([[5, 6], [5, 6], [3, 4]]);
  });

  it('index_select takes int32 or int64 indices and gather int64 only, with PyTorch\'s messages', () => {
    const b = f([[3, 4], [5, 6]]);
    expect(b.indexSelect(1, torch.tensor([1, 0], { dtype: 'int32' })).tolist()).toEqual([[4, 3], [6, 5]]);
    expect(() => b.indexSelect(0, torch.tensor([1], { dtype: 'int16' }))).toThrow('index_select(): Expected dtype int32 or int64 for index');
    expect(() => b.gather(1, torch.tensor([[1], [0]], { dtype: 'int32' }))).toThrow('gather(): Expected dtype int64 for index');
    expect(() => b.scatterAdd(1, torch.tensor([[1], [0]], { dtype: 'int32' }), b)).toThrow('scatter_add(): Expected dtype int64 for index');
  });
});
