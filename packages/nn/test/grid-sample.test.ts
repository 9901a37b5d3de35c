import { afterEach, describe, expect, it, vi } from 'vitest';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// F.affine_grid and F.grid_sample (the spatial transformer tutorial) against PyTorch 1.13: fixtures/gen_grid_sample.py.
const F = nn.functional;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('grid-sample', new URL('./fixtures/', import.meta.url));
const T = (x: FixtureTensor, grad = false) => fromFixture(x, grad);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('F.affineGrid matches PyTorch', () => {
  it.each((golden.affine as { size: number[]; alignCorners: boolean; theta: FixtureTensor; out: FixtureTensor; upstream: FixtureTensor; gradTheta: FixtureTensor; gradFn: string }[]).map((c) => [c.size.join('x'), c.alignCorners, c] as const))(
    'size %s, align_corners=%s',
    (_size, _align, c) => {
      vi.spyOn(console, 'warn').mockImplementation(() => {});
      const theta = T(c.theta, true);
      const grid = F.affineGrid(theta, c.size, c.alignCorners);
      expectClose(grid, c.out, 1e-5, 1e-6, 'grid');
      expect(grid.gradFn?.name()).toBe(c.gradFn);
      grid.mul(T(c.upstream)).sum().backward();
      expectClose(theta.grad!, c.gradTheta, 1e-5, 1e-5, 'grad theta');
    },
  );
});

interface SampleCase {
  mode: nn.functional.GridSampleMode;
  paddingMode: nn.functional.GridSamplePaddingMode;
  alignCorners: boolean;
  input: FixtureTensor;
  grid: FixtureTensor;
  out: FixtureTensor;
  upstream: FixtureTensor;
  gradInput: FixtureTensor;
  gradGrid: FixtureTensor;
  gradFn: string;
}

describe('F.gridSample matches PyTorch', () => {
  it.each((golden.sample as SampleCase[]).map((c) => [c.mode, c.paddingMode, c.alignCorners, c] as const))('%s, %s, align_corners=%s', (_m, _p, _a, c) => {
    const input = T(c.input, true);
    const grid = T(c.grid, true);
    const out = F.gridSample(input, grid, { mode: c.mode, paddingMode: c.paddingMode, alignCorners: c.alignCorners });
    expectClose(out, c.out, 1e-5, 1e-5, 'out');
    expect(out.gradFn?.name()).toBe(c.gradFn);
    out.mul(T(c.upstream)).sum().backward();
    expectClose(input.grad!, c.gradInput, 1e-5, 1e-5, 'grad input');
    expectClose(grid.grad ?? torch.zerosLike(grid), c.gradGrid, 1e-4, 1e-4, 'grad grid');
  });

  it("the spatial transformer tutorial's stn: affine_grid then grid_sample, gradients to the input and theta", () => {
    const s = golden.stn;
    const x = T(s.input, true);
    const theta = T(s.theta, true);
    const out = F.gridSample(x, F.affineGrid(theta, x.shape, false), { alignCorners: false });
    expectClose(out, s.out, 1e-5, 1e-5, 'out');
    out.mul(T(s.upstream)).sum().backward();
    expectClose(x.grad!, s.gradInput, 1e-5, 1e-5, 'grad input');
    expectClose(theta.grad!, s.gradTheta, 1e-4, 1e-4, 'grad theta');
  });

  it('takes mode, padding_mode and align_corners by position', () => {
    const x = torch.arange(4).reshape([1, 1, 2, 2]).float();
    const grid = torch.tensor([[[[-1, -1], [1, 1]]]]).float();
    expect(F.gridSample(x, grid, 'nearest', 'border', true).tolist()).toEqual([[[[0, 3]]]]);
  });
});

describe('PyTorch’s warnings and errors', () => {
  it('warns as PyTorch when align_corners is left unset, or a unit-size grid is aligned', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    F.affineGrid(torch.randn([1, 2, 3]), [1, 1, 2, 2]);
    F.gridSample(torch.randn([1, 1, 2, 2]), torch.zeros([1, 1, 1, 2]));
    F.affineGrid(torch.randn([1, 2, 3]), [1, 1, 1, 2], true);
    const shown = warn.mock.calls.map((c) => String(c[0]));
    // Shown once per message, as Python's default filter does.
    for (const message of [...golden.warnings.affine_grid, ...golden.warnings['affine_grid unit size']]) {
      expect(shown).toContain(`UserWarning: ${message}`);
    }
    expect(golden.warnings.grid_sample).toEqual(golden.warnings.affine_grid);
  });

  const x = torch.randn([1, 1, 2, 2]);
  const CALLS: Record<string, () => unknown> = {
    'grid_sample mode': () => F.gridSample(x, torch.zeros([1, 1, 1, 2]), { mode: 'linear' as 'bilinear', alignCorners: false }),
    'grid_sample padding_mode': () => F.gridSample(x, torch.zeros([1, 1, 1, 2]), { paddingMode: 'edge' as 'zeros', alignCorners: false }),
    'grid_sample batch': () => F.gridSample(x, torch.zeros([2, 1, 1, 2]), { alignCorners: false }),
    'grid_sample last dim': () => F.gridSample(x, torch.zeros([1, 1, 1, 3]), { alignCorners: false }),
    'grid_sample grid dims': () => F.gridSample(x, torch.zeros([1, 1, 2]), { alignCorners: false }),
    'affine_grid theta shape': () => F.affineGrid(torch.zeros([1, 3, 3]), [1, 1, 2, 2], false),
    'affine_grid integer theta': () => F.affineGrid(torch.zeros([1, 2, 3], { dtype: 'int64' }), [1, 1, 2, 2], false),
    'affine_grid zero size': () => F.affineGrid(torch.zeros([1, 2, 3]), [1, 1, 0, 2], false),
    'affine_grid 3-D size': () => F.affineGrid(torch.zeros([1, 2, 3]), [1, 1, 2], false),
  };
  it.each((golden.errors as { call: string; error: string }[]).map((e) => [e.call, e] as const))('%s', (call, { error }) => {
    expect(CALLS[call]).toThrow(error);
  });
});
