import { describe, expect, it } from 'vitest';
import * as torch from '../src/index.js';

/**
 * Arguments PyTorch takes as keywords in a position where Descent also takes an options object: each must be read,
 * never silently dropped (before, `torch.arange(0, 10, { step: 2 })` ignored the step and `x.clamp({ min: 0 })`
 * gave NaN).
 */
describe('keyword arguments in the options object', () => {
  it('arange: start, end and step as keywords', () => {
    expect(torch.arange(0, 10, { step: 2 }).tolist()).toEqual([0, 2, 4, 6, 8]);
    expect(torch.arange({ end: 5 }).tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(torch.arange(2, { end: 5, dtype: 'float32' }).tolist()).toEqual([2, 3, 4]);
    expect(torch.arange({ start: 1, end: 2, step: 0.25 }).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(() => torch.arange({ start: 1 })).toThrow("arange() missing 1 required positional argument: 'end'");
    expect(() => torch.arange(0, 10, { stride: 2 } as never)).toThrow("arange() got an unexpected keyword argument 'stride'");
  });

  it('linspace steps, randint size, zeros/randn size', () => {
    expect(torch.linspace(0, 1, { steps: 5 }).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    torch.manualSeed(0);
    const a = torch.randint(0, 5, { size: [3] });
    torch.manualSeed(0);
    expect(a.tolist()).toEqual(torch.randint(0, 5, [3]).tolist());
    expect(torch.zeros({ size: [2, 3] }).shape).toEqual([2, 3]);
    expect(torch.randn({ size: [4], dtype: 'float64' }).dtype).toBe('float64');
  });

  it('clamp and clip take min and max as keywords', () => {
    const x = torch.tensor([-1, 2, 5], { dtype: 'float32' });
    expect(x.clamp({ min: 0 }).tolist()).toEqual([0, 2, 5]);
    expect(x.clamp({ max: 3 }).tolist()).toEqual([-1, 2, 3]);
    expect(x.clip({ min: 0, max: 3 }).tolist()).toEqual([0, 2, 3]);
    expect(x.clone().clamp_({ min: 1 }).tolist()).toEqual([1, 2, 5]);
    expect(() => x.clamp({ lo: 0 } as never)).toThrow("clamp() got an unexpected keyword argument 'lo'");
  });

  it('triangles, diag, allclose, diff, repeatInterleave, flip, roll and multinomial read their keywords', () => {
    const x = torch.tensor([[1, -2, 3], [4, 5, -6]], { dtype: 'float32' });
    expect(torch.triu(x, { diagonal: 1 }).tolist()).toEqual(torch.triu(x, 1).tolist());
    expect(x.tril({ diagonal: -1 }).tolist()).toEqual([[0, 0, 0], [4, 0, 0]]);
    expect(torch.diag(torch.tensor([1, 2]), { diagonal: 1 }).tolist()).toEqual(torch.diag(torch.tensor([1, 2]), 1).tolist());
    expect(torch.allclose(x, x.add(1e-3), { atol: 1e-2 })).toBe(true);
    expect(torch.allclose(x, x.add(1e-3), { rtol: 0 })).toBe(false);
    expect(torch.diff(x, { n: 1, dim: 0 }).tolist()).toEqual([[3, 7, -9]]);
    expect(x.repeatInterleave(2, { dim: 0 }).shape).toEqual([4, 3]);
    expect(x.flip({ dims: [1] }).tolist()).toEqual(x.flip(1).tolist());
    expect(x.roll(1, { dims: 1 }).tolist()).toEqual(x.roll(1, 1).tolist());
    torch.manualSeed(3);
    const drawn = torch.multinomial(torch.tensor([0.2, 0.8]), { numSamples: 4, replacement: true });
    torch.manualSeed(3);
    expect(drawn.tolist()).toEqual(torch.multinomial(torch.tensor([0.2, 0.8]), 4, true).tolist());
    expect(() => torch.triu(x, { k: 1 } as never)).toThrow("triu() got an unexpected keyword argument 'k'");
  });
});
