import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

// `p.grad = g` took any value (an int64 gradient on a float parameter, a wrong size), which the optimizers then
// misread. PyTorch 1.13 refuses them with these messages (RuntimeError; a TypeError for a non-tensor).
describe('x.grad = g checks g as PyTorch does', () => {
  it('refuses a gradient of another dtype, size or kind, and takes a matching one', () => {
    const p = torch.ones(2).requiresGrad_();
    expect(() => (p.grad = torch.ones(2, { dtype: 'int64' }))).toThrow('assigned grad has data of a different type');
    expect(() => (p.grad = torch.ones(2, { dtype: 'float64' }))).toThrow('assigned grad has data of a different type');
    expect(() => (p.grad = torch.ones(3))).toThrow('assigned grad has data of a different size');
    expect(() => (p.grad = 5 as never)).toThrow('assigned grad expected to be a Tensor or None but got grad of type number');
    expect(p.grad).toBeNull();
    p.grad = torch.full([2], 0.5);
    expect(p.grad!.tolist()).toEqual([0.5, 0.5]);
    p.grad = null;
    expect(p.grad).toBeNull();
  });
});
