import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';
import type { DType } from '../src/index.js';

// Expected values: PyTorch 1.13 running test/fixtures/gen_dtype_info.py.
interface FloatGolden { dtype: string; bits: number; eps: number; max: number; min: number; tiny: number; smallest_normal: number; resolution: number; repr: string }
interface IntGolden { dtype: string; bits: number; max: string; min: string; repr: string }
interface LegacyGolden { ctor: string; data: unknown; dtype: string; values: unknown; repr: string }
const golden = JSON.parse(readFileSync(new URL('./fixtures/dtype-info.json', import.meta.url), 'utf8')) as {
  finfo: FloatGolden[];
  finfo_default: string;
  iinfo: IntGolden[];
  legacy: LegacyGolden[];
  sizes: number[];
  empty: number[];
  mT: number[][];
  errors: Record<string, string>;
};

describe('torch.finfo and torch.iinfo', () => {
  it.each(golden.finfo.map((f) => [f.dtype, f] as const))('finfo(%s) as PyTorch', (_, f) => {
    const info = torch.finfo(f.dtype as DType);
    expect([info.bits, info.eps, info.max, info.min, info.tiny, info.smallestNormal, info.resolution]).toEqual([f.bits, f.eps, f.max, f.min, f.tiny, f.smallest_normal, f.resolution]);
    expect(String(info)).toBe(f.repr);
  });

  it('finfo() is the default dtype\'s', () => {
    expect(String(torch.finfo())).toBe(golden.finfo_default);
  });

  it.each(golden.iinfo.map((i) => [i.dtype, i] as const))('iinfo(%s) as PyTorch (int64 limits as bigints)', (_, i) => {
    const info = torch.iinfo(i.dtype as DType);
    expect([info.bits, String(info.max), String(info.min)]).toEqual([i.bits, i.max, i.min]);
    expect(String(info)).toBe(i.repr);
  });

  it("raises PyTorch's errors for the wrong kind of dtype", () => {
    expect(() => torch.iinfo('bool')).toThrow(golden.errors.iinfo_bool);
    expect(() => torch.finfo('int32')).toThrow(golden.errors.finfo_int);
    expect(() => torch.iinfo('float32')).toThrow(golden.errors.iinfo_float);
  });
});

describe('the legacy typed constructors', () => {
  it.each(golden.legacy.map((l) => [l.ctor, l] as const))('torch.%s(data)', (_, l) => {
    const make = (torch as unknown as Record<string, (...args: unknown[]) => torch.Tensor>)[l.ctor];
    const t = make(l.data);
    expect(t.dtype).toBe(l.dtype);
    expect(t.tolist()).toEqual(l.values);
    expect(String(t)).toBe(l.repr);
  });

  it('takes sizes, nothing, or a tensor of its own dtype', () => {
    expect(torch.FloatTensor(2, 3).shape).toEqual(golden.sizes);
    expect(torch.FloatTensor().shape).toEqual(golden.empty);
    const x = torch.tensor([1.5, 2]);
    expect(torch.FloatTensor(x)).toBe(x);
    expect(() => torch.FloatTensor(torch.tensor([1, 2]))).toThrow('expected TensorOptions(dtype=float) (got TensorOptions(dtype=long int))');
    expect(() => torch.FloatTensor(2.5)).toThrow(golden.errors.legacy_float_size);
  });
});

describe('Tensor.mT', () => {
  it('swaps the last two dims, as PyTorch, and needs at least 2-D', () => {
    expect([torch.zeros(2, 3, 4).mT.shape, torch.zeros(2, 3).mT.shape]).toEqual(golden.mT);
    const x = torch.arange(6).reshape(2, 3);
    expect(x.mT.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
    expect(x.mH.tolist()).toEqual(x.mT.tolist());
    expect(() => torch.zeros(3).mT).toThrow(golden.errors.mT_1d);
  });
});

describe('Tensor.isCuda and isCpu', () => {
  it('say where a tensor lives, as x.is_cuda and x.is_cpu (PyTorch without CUDA: False and True)', () => {
    const x = torch.zeros(2);
    expect([x.isCuda, x.isCpu]).toEqual([false, true]);
  });
});

describe('new torch.Tensor(data)', () => {
  it('says to use torch.tensor (PyTorch\'s legacy constructor is torch.FloatTensor here)', () => {
    const Legacy = torch.Tensor as unknown as new (data: number[]) => torch.Tensor;
    expect(() => new Legacy([1, 2])).toThrow('torch.Tensor(data) is not a constructor here: use torch.tensor(data)');
  });
});
