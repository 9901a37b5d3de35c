import { describe, expect, it, vi } from 'vitest';
import * as torch from '@descent/tensor';
import { Conv2d, LazyBatchNorm1d, LazyBatchNorm2d, LazyBatchNorm3d, LazyConv1d, LazyConv2d, LazyConv3d, LazyLinear } from '../src/index.js';
import { loadFixture } from './fixtures.js';

// Lazy convolutions and batch norms against PyTorch 1.13 (fixtures/gen_lazy_modules.py): the reprs before and
// after the first call, the parameters it draws, unbatched inputs and checkpoints loaded before any call.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('lazy-modules', new URL('./fixtures/', import.meta.url));

const flat = (t: torch.Tensor): number[] => t.detach().reshape(-1).tolist() as number[];
function close(got: number[], expected: number[], tol = 1e-6): void {
  expect(got.length).toBe(expected.length);
  got.forEach((g, i) => expect(Math.abs(g - expected[i]), `[${i}] ${g} vs ${expected[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

describe('lazy modules warn as PyTorch', () => {
  it("show PyTorch's UserWarning once", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      [new LazyLinear(3), new LazyConv2d(3, 3), new LazyBatchNorm2d()].forEach((m) => expect(m).toBeTruthy());
      const shown = new Set(warn.mock.calls.map((c) => String(c[0]).replace(/^UserWarning: /, '')));
      // once, as Python's default filter shows a warning once per place it is raised (this file runs first in its module state)
      expect([...shown]).toEqual(golden.warnings);
      expect(warn.mock.calls.length).toBe(1);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('lazy convolutions', () => {
  it('LazyConv1d sizes its weight from the first batch and becomes a Conv1d', () => {
    torch.manualSeed(0);
    const c1 = new LazyConv1d(4, 3, { stride: 2, bias: false });
    expect(String(c1)).toBe(golden.conv1d_before);
    expect(c1.hasUninitializedParams()).toBe(true);
    const y = c1(torch.ones(2, 5, 9));
    const [repr, name, shape, w0, yShape] = golden.conv1d_after;
    expect([String(c1), c1.constructor.name, c1.weight.shape]).toEqual([repr, name, shape]);
    close(flat(c1.weight.index(0)), w0);
    expect(y.shape).toEqual(yShape);
  });

  it('LazyConv3d reads the channels of an unbatched input, with groups', () => {
    torch.manualSeed(1);
    const c3 = new LazyConv3d(2, { kernelSize: [1, 2, 2], groups: 2 });
    const y = c3(torch.ones(4, 3, 3, 3));
    const [repr, shape, w1, bias, yShape] = golden.conv3d_after;
    expect([String(c3), c3.weight.shape]).toEqual([repr, shape]);
    close(flat(c3.weight.index(1)), w1);
    close(flat(c3.bias!), bias);
    expect(y.shape).toEqual(yShape);
  });

  it('a checkpoint loaded before the first call sizes the parameters', () => {
    torch.manualSeed(2);
    const source = new Conv2d(3, 5, 3);
    const lazy = new LazyConv2d(5, 3);
    lazy.loadStateDict(source.stateDict());
    const [repr, name, shape, same] = golden.loaded;
    expect([String(lazy), lazy.constructor.name, lazy.weight.shape, torch.equal(lazy.weight, source.weight)]).toEqual([repr, name, shape, same]);
  });
});

describe('lazy batch norms', () => {
  it('LazyBatchNorm3d and LazyBatchNorm1d take their options and size from the first batch', () => {
    const b3 = new LazyBatchNorm3d(1e-3, null);
    expect(String(b3)).toBe(golden.bn3d_before);
    torch.manualSeed(3);
    const z = b3(torch.randn(2, 3, 2, 2, 2));
    const [repr, name, mean, variance, tracked, z0] = golden.bn3d_after;
    expect([String(b3), b3.constructor.name, b3.numBatchesTracked!.item()]).toEqual([repr, name, tracked]);
    close(flat(b3.runningMean!), mean, 1e-5);
    close(flat(b3.runningVar!), variance, 1e-5);
    close(flat(z.index(0, 0, 0)), z0, 1e-5);
    const b1 = new LazyBatchNorm1d({ affine: false });
    b1(torch.arange(12, { dtype: 'float32' }).reshape(4, 3));
    expect([String(b1), b1.weight === null, flat(b1.runningMean!)]).toEqual(golden.bn1d_after);
  });
});
