import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';

describe('Module.to(dtype), double() and float()', () => {
  it('converts floating-point parameters and buffers in place, keeps integer buffers, and trains in the new dtype', () => {
    torch.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2));
    const weight = (model.at(0) as nn.Linear).weight;
    const before = weight.tolist();
    const params = [...model.parameters()];
    expect(model.to('float64')).toBe(model);
    // The same Parameter objects (an optimizer built before keeps working), now float64 with the same values.
    expect([...model.parameters()]).toEqual(params);
    expect(weight.dtype).toBe('float64');
    expect(weight.tolist()).toEqual(before);
    const bn = model.at(1) as nn.BatchNorm1d;
    const buffers = Object.fromEntries(Object.entries(bn.stateDict()).map(([k, v]) => [k, v.dtype]));
    expect(buffers).toEqual({ weight: 'float64', bias: 'float64', running_mean: 'float64', running_var: 'float64', num_batches_tracked: 'int64' });
    const out = model(torch.randn(4, 3, { dtype: 'float32' }).double());
    expect(out.dtype).toBe('float64');
    out.sum().backward();
    expect(weight.grad?.dtype).toBe('float64');
    expect(weight.isLeaf).toBe(true);
    model.float();
    expect(weight.dtype).toBe('float32');
    expect(weight.grad?.dtype).toBe('float32');
    expect(() => model.to('int64')).toThrow('nn.Module.to only accepts floating point or complex dtypes, but got desired dtype=int64');
  });
});
