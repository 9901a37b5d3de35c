import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '@descent/tensor';
import { clipGradNorm_, clipGradValue_ } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

interface NormCase {
  grads: FixtureTensor[];
  max_norm: number;
  norm_type: number;
  total_norm: number;
  clipped: FixtureTensor[];
}

interface ValueCase {
  grads: FixtureTensor[];
  clip_value: number;
  clipped: FixtureTensor[];
}

function withGrads(grads: FixtureTensor[]) {
  return grads.map((g) => {
    const p = zeros(g.shape, { requiresGrad: true });
    p.grad = fromFixture(g);
    return p;
  });
}

describe('clipGradNorm_ against PyTorch', () => {
  const cases: NormCase[] = loadFixture('optim-extra').clip_grad_norm;
  for (const testCase of cases) {
    it(`normType ${testCase.norm_type}, maxNorm ${testCase.max_norm}`, () => {
      const params = withGrads(testCase.grads);
      const grads = params.map((p) => p.grad);
      const total = clipGradNorm_(params, testCase.max_norm, testCase.norm_type);
      expect(total.shape).toEqual([]);
      expectClose([total.item() as number], [testCase.total_norm], 1e-6, 0, 'total norm');
      params.forEach((p, i) => {
        expect(p.grad).toBe(grads[i]); // scaled in place
        expectClose(p.grad!.dataSync() as Float32Array, testCase.clipped[i].data, 1e-6, 1e-8, `grad ${i}`);
      });
    });
  }

  it('takes a lone tensor, skips parameters without grad, and returns 0 when none has one', () => {
    const w = tensor([3, 4], { dtype: 'float32', requiresGrad: true });
    w.grad = tensor([3, 4], { dtype: 'float32' });
    const total = clipGradNorm_(w, 1);
    expect(total.item()).toBe(5);
    expectClose(w.grad.dataSync() as Float32Array, [0.6, 0.8], 1e-6, 0, 'clipped');
    const none = tensor([1], { dtype: 'float32', requiresGrad: true });
    expect(clipGradNorm_([none], 1).item()).toBe(0);
  });

  it('errorIfNonfinite throws on an infinite norm', () => {
    const w = tensor([1], { dtype: 'float32', requiresGrad: true });
    w.grad = tensor([Infinity]);
    expect(() => clipGradNorm_([w], 1, 2, true)).toThrow(/non-finite/);
  });
});

describe('clipGradValue_ against PyTorch', () => {
  const cases: ValueCase[] = loadFixture('optim-extra').clip_grad_value;
  for (const testCase of cases) {
    it(`clipValue ${testCase.clip_value}`, () => {
      const params = withGrads(testCase.grads);
      expect(clipGradValue_(params, testCase.clip_value)).toBeUndefined();
      params.forEach((p, i) => expect(Array.from(p.grad!.dataSync() as Float32Array)).toEqual(testCase.clipped[i].data));
    });
  }

  it('rejects a clip value that is not a number', () => {
    expect(() => clipGradValue_([], Number.NaN)).toThrow('clipGradValue_(): clipValue must be a number, got NaN');
  });

  // torch.nn.utils.clip_grad_norm_([p], max_norm=1.0, norm_type=2.0, error_if_nonfinite=True) with p.grad = [3, 4, 0]
  // returns tensor(5.) and leaves [0.6, 0.8, 0]; clip_grad_value_([p], clip_value=0.5) then [0.5, 0.5, 0] (PyTorch 1.13).
  it('takes its arguments by keyword, as PyTorch does', () => {
    const p = zeros([3], { requiresGrad: true });
    p.grad = tensor([3, 4, 0], { dtype: 'float32' });
    expect(clipGradNorm_([p], { maxNorm: 1.0, normType: 2.0, errorIfNonfinite: true }).item()).toBe(5);
    expectClose(p.grad.tolist() as number[], [0.6, 0.8, 0], 1e-6, 1e-7, 'clipped');
    clipGradValue_([p], { clipValue: 0.5 });
    expect(p.grad.tolist()).toEqual([0.5, 0.5, 0]);
    expect(() => clipGradNorm_([p], 1.0, { foo: 1 } as never)).toThrow("clip_grad_norm_() got an unexpected keyword argument 'foo'");
    expect(() => (clipGradNorm_ as (ps: unknown) => unknown)([p])).toThrow("clip_grad_norm_() missing 1 required positional argument: 'max_norm'");
  });
});
