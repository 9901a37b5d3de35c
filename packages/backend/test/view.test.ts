import { describe, expect, it } from 'vitest';
import { SPEC_VERSION, contiguousStrides, contiguousView, isContiguous, numelOf } from '../src/index.js';

describe('views', () => {
  it('counts elements, with a scalar holding one', () => {
    expect(numelOf([2, 3, 4])).toBe(24);
    expect(numelOf([])).toBe(1);
    expect(numelOf([5, 0])).toBe(0);
  });

  it('gives row-major strides, as torch.empty(2, 3, 4).stride()', () => {
    expect(contiguousStrides([2, 3, 4])).toEqual([12, 4, 1]);
    expect(contiguousView([3, 2], 5)).toEqual({ shape: [3, 2], strides: [2, 1], offset: 5 });
  });

  it('tells contiguous views from transposed and broadcast ones', () => {
    expect(isContiguous({ shape: [2, 3], strides: [3, 1], offset: 7 })).toBe(true);
    expect(isContiguous({ shape: [3, 2], strides: [1, 3], offset: 0 })).toBe(false);
    expect(isContiguous({ shape: [4, 3], strides: [0, 1], offset: 0 })).toBe(false);
    // Size-1 axes may carry any stride.
    expect(isContiguous({ shape: [1, 3], strides: [99, 1], offset: 0 })).toBe(true);
  });

  it('carries a spec version backends must match', () => {
    // Version 2 added PyTorch's dtypes (float64, int64, int16, int8, uint8).
    expect(SPEC_VERSION).toBe(2);
  });
});
