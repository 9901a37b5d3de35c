import { describe, expect, it, vi } from 'vitest';
import * as torch from '@descent/tensor';
import { functional as F, Softmax } from '../src/index.js';
import { loadFixture } from './fixtures.js';

// Softmax without a dim picks PyTorch's legacy dim and warns as PyTorch 1.13 does
// (fixtures/gen_softmax_implicit_dim.py).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('softmax-implicit-dim', new URL('./fixtures/', import.meta.url));

function close(t: torch.Tensor, expected: number[]): void {
  const got = t.reshape(-1).tolist() as number[];
  got.forEach((g, i) => expect(Math.abs(g - expected[i])).toBeLessThanOrEqual(1e-6));
}

describe('softmax with an implicit dim', () => {
  it("uses PyTorch's legacy dim and its deprecation warnings", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const x = torch.arange(8, { dtype: 'float32' }).reshape(2, 2, 2).div(4);
      close(F.softmax(x), golden.softmax3d);
      close(F.logSoftmax(x.reshape(2, 4)), golden.log_softmax2d);
      close(F.softmin(x.reshape(8)), golden.softmin1d);
      close(new Softmax()(x.reshape(4, 2)), golden.module);
      const shown = new Set(warn.mock.calls.map((c) => String(c[0]).replace(/^UserWarning: /, '')));
      expect([...shown].sort()).toEqual(golden.warnings);
      warn.mockClear();
      F.softmax(x, 1);
      expect(warn.mock.calls.length).toBe(golden.explicit_warnings);
    } finally {
      warn.mockRestore();
    }
  });
});
