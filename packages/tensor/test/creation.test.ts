import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

const list = (t: torch.Tensor) => t.tolist();

describe('creation', () => {
  it('tensor() infers shape and dtype like torch.tensor', () => {
    // PyTorch's default integer dtype: whole numbers give int64 (exact beyond 2^31: millisecond timestamps).
    expect(torch.tensor([[1, 2], [3, 4]]).dtype).toBe('int64');
    expect(torch.tensor([1.7e12, 1.7e12 + 1000]).tolist()).toEqual([1.7e12, 1.7e12 + 1000]);
    expect(torch.tensor([3e9]).tolist()).toEqual([3e9]);
    expect(torch.tensor([2n ** 62n]).tolist()).toEqual([2n ** 62n]);
    // A whole number outside int64 is a float literal in PyTorch: float32, which rounds 1e39 to inf.
    expect(torch.tensor([1e39]).tolist()).toEqual([Infinity]);
    expect(torch.tensor([1.5, 2]).dtype).toBe('float32');
    expect(torch.tensor([true, false]).dtype).toBe('bool');
    expect(torch.tensor(3.5).shape).toEqual([]);
    expect(torch.tensor([[1, 2]], { dtype: torch.float32 }).dtype).toBe('float32');
    expect(torch.tensor(new Float32Array([1, 2, 3])).shape).toEqual([3]);
    expect(torch.tensor([]).shape).toEqual([0]);
    // `torch.tensor(0.0, requires_grad=True)`: only floats can require grad, so whole numbers become float32.
    expect(torch.tensor(0, { requiresGrad: true }).dtype).toBe('float32');
    expect(torch.full([2], 1, { requiresGrad: true }).dtype).toBe('float32');
    expect(() => torch.tensor([[1, 2], [3]])).toThrow(/expected sequence of length 2 at dim 1/);
  });

  it('typed arrays keep their dtype; values a dtype cannot hold raise PyTorch\'s error', () => {
    const kinds: [ArrayBufferView, string][] = [
      [new Float32Array(2), 'float32'], [new Float64Array(2), 'float64'], [new BigInt64Array(2), 'int64'],
      [new Int32Array(2), 'int32'], [new Int16Array(2), 'int16'], [new Int8Array(2), 'int8'],
      [new Uint8Array(2), 'uint8'], [new Uint8ClampedArray(2), 'uint8'],
    ];
    for (const [data, dtype] of kinds) {
      expect(torch.tensor(data).dtype).toBe(dtype);
      expect(torch.fromArray(data, [2, 1]).dtype).toBe(dtype);
    }
    expect(torch.tensor(new Uint8Array([0, 2, 255])).tolist()).toEqual([0, 2, 255]);
    expect(() => torch.tensor(new Uint16Array(2))).toThrow(/no dtype for a Uint16Array/);
    expect(() => torch.tensor([NaN], { dtype: 'int32' })).toThrow('value cannot be converted to type int32 without overflow');
    expect(() => torch.tensor([3e9], { dtype: 'int32' })).toThrow('value cannot be converted to type int32 without overflow');
    expect(() => torch.tensor([256], { dtype: 'uint8' })).toThrow('value cannot be converted to type uint8 without overflow');
    // PyTorch takes -1 as 255 for uint8 (two's complement), and truncates fractions toward zero.
    expect(torch.tensor([-1], { dtype: 'uint8' }).tolist()).toEqual([255]);
    expect(torch.tensor([2.7, -2.7], { dtype: 'int32' }).tolist()).toEqual([2, -2]);
    // A copy: changing the array afterwards does not change the tensor.
    const source = new Float32Array([1, 2]);
    const copy = torch.fromArray(source, [2]);
    source[0] = 9;
    expect(copy.tolist()).toEqual([1, 2]);
  });

  it('fromArray, zeros, ones, full, empty and the *Like forms', () => {
    const t = torch.fromArray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    expect(list(t)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(list(torch.zeros(2, 2))).toEqual([[0, 0], [0, 0]]);
    expect(list(torch.ones([3]))).toEqual([1, 1, 1]);
    expect(torch.ones(2, { dtype: 'int32' }).dtype).toBe('int32');
    expect(list(torch.full([2], 7))).toEqual([7, 7]);
    expect(torch.empty(3, 0).shape).toEqual([3, 0]);
    expect(list(torch.zerosLike(t))).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(list(torch.onesLike(t, { dtype: 'int32' }))).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(list(torch.fullLike(t, 2))).toEqual([[2, 2, 2], [2, 2, 2]]);
    expect(() => torch.zeros(-1)).toThrow(/negative dimension/);
    expect(() => torch.fromArray(new Float32Array(3), [2, 2])).toThrow(/needs 4 elements, got 3/);
  });

  it('arange, linspace, eye', () => {
    expect(list(torch.arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(torch.arange(5).dtype).toBe('int64');
    expect(list(torch.arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(torch.arange(0, 1, 0.1).shape).toEqual([10]);
    expect(list(torch.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(list(torch.eye(2, 3))).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it('random creation respects shape, dtype and range', () => {
    torch.manualSeed(0);
    const r = torch.rand(100);
    expect(r.min().item()).toBeGreaterThanOrEqual(0);
    expect(r.max().item()).toBeLessThan(1);
    expect(torch.randn(2, 3).shape).toEqual([2, 3]);
    const ints = torch.randint(3, 7, [50]);
    expect(ints.dtype).toBe('int64');
    expect((ints.min().item() as number) >= 3 && (ints.max().item() as number) < 7).toBe(true);
    expect(torch.randint(4, [2, 2]).shape).toEqual([2, 2]);
    expect((list(torch.randperm(6)) as number[]).slice().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(torch.randnLike(r).shape).toEqual([100]);
  });
});

describe('reading values', () => {
  it('item, tolist, dataSync and the async forms', async () => {
    const t = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    expect(t.sum().item()).toBe(10);
    expect(await t.sum().itemAsync()).toBe(10);
    expect(t.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(await t.t().tolistAsync()).toEqual([[1, 3], [2, 4]]);
    expect(t.dataSync()).toBeInstanceOf(Float32Array);
    expect(Array.from((await t.t().dataAsync()) as Float32Array)).toEqual([1, 3, 2, 4]);
    expect(torch.tensor([true]).item()).toBe(1);
    expect(torch.tensor([true, false]).tolist()).toEqual([true, false]);
    expect(() => t.item()).toThrow('a Tensor with 4 elements cannot be converted to Scalar');
  });
});
