import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { moveTensorData } from '../src/move-tensor-data.js';

/** A second device in host memory (the CPU backend under another name), so `module.to()` really moves. */
const HOST = torch.registerBackend(Object.assign(Object.create(torch.cpu.backend) as typeof torch.cpu.backend, { name: 'movehost' }));

/** [[1, 3, 5], [2, 4, 6]] as a transposed view of a contiguous [3, 2]: strides [1, 2], as PyTorch's `.t()`. */
function transposed(): torch.Tensor {
  return torch.arange(1, 7, { dtype: 'float32' }).reshape(3, 2).t();
}

describe('moveTensorData', () => {
  it('repoints a transposed tensor at a contiguous copy without reading it through its old strides', () => {
    const p = new nn.Parameter(transposed());
    expect(p.stride()).toEqual([1, 2]);
    moveTensorData(p, p.detach().contiguous());
    expect(p.stride()).toEqual([3, 1]);
    expect(p.isContiguous()).toBe(true);
    expect(p.tolist()).toEqual([[1, 3, 5], [2, 4, 6]]);
    // The kernels read the view too, not only tolist().
    expect(p.add(0).tolist()).toEqual([[1, 3, 5], [2, 4, 6]]);
  });

  it('repoints a contiguous tensor at a transposed view', () => {
    const p = new nn.Parameter(torch.zeros(2, 3));
    moveTensorData(p, transposed());
    expect(p.stride()).toEqual([1, 2]);
    expect(p.tolist()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(p.sum(1).tolist()).toEqual([9, 12]);
  });

  it('rejects a source of another shape or dtype', () => {
    const p = new nn.Parameter(torch.zeros(2, 3));
    expect(() => moveTensorData(p, torch.zeros(3, 2))).toThrow(/shape \[2,3\] and dtype float32/);
    expect(() => moveTensorData(p, torch.zeros(2, 3, { dtype: 'int32' }))).toThrow(/dtype float32/);
  });
});

describe('module.to(device) with a non-contiguous parameter', () => {
  it('keeps the values of a transposed weight there and back, and the parameter stays a leaf', () => {
    const lin = new nn.Linear(3, 2);
    lin.weight = new nn.Parameter(transposed());
    const weight = lin.weight;
    lin.to(HOST);
    expect(lin.weight).toBe(weight);
    expect(weight.device).toBe(HOST);
    expect(weight.tolist()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(weight.isLeaf).toBe(true);
    expect(weight.requiresGrad).toBe(true);
    expect(weight.gradFn).toBeNull();
    lin.cpu();
    expect(weight.device).toBe(torch.cpu);
    expect(weight.tolist()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(weight.isLeaf).toBe(true);
  });
});
