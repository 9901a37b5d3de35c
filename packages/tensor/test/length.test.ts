import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

// `len(x)` is everywhere in PyTorch programs (`loss.item() / len(data)`); before this getter `x.length` was
// undefined and such programs computed NaN without a word.
describe('x.length, as len(x)', () => {
  it("is the first dimension's size, as in PyTorch", () => {
    expect(torch.zeros(3, 2).length).toBe(3);
    expect(torch.zeros(0, 2).length).toBe(0);
    expect(torch.arange(5).length).toBe(5);
    expect(torch.zeros(4, 3).t().length).toBe(3);
  });

  it("raises PyTorch's TypeError on a 0-d tensor", () => {
    expect(() => torch.tensor(1.5).length).toThrow(new TypeError('len() of a 0-d tensor'));
  });
});
