import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { removeWeightNorm, weightNorm } from '../src/utils/index.js';
import { expectClose, loadFixture } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_weight_norm.py writes test/fixtures/nn-weight-norm.json.
interface WeightNormCase {
  layer: 'Linear' | 'Conv1d';
  dim: number | null;
  weight: number[];
  bias: number[];
  params: string[];
  keys: string[];
  g: number[];
  gShape: number[];
  v: number[];
  computed: number[];
  gradFn: string;
  repr: string;
  x: number[];
  xShape: number[];
  y: number[];
  yShape: number[];
  upstream: number[];
  gGrad: number[];
  vGrad: number[];
  biasGrad: number[];
  removedKeys: string[];
  removedWeight: number[];
}
const golden = loadFixture('nn-weight-norm', new URL('./fixtures/', import.meta.url)) as { cases: WeightNormCase[]; errors: Record<string, string> };
const close = (t: torch.Tensor, data: number[], shape: readonly number[], label: string) => expectClose(t, { data, shape: [...shape], dtype: 'float32' }, 1e-5, 1e-6, label);

describe('nn.utils.weightNorm against PyTorch 1.13', () => {
  it.each(golden.cases.map((c) => [`${c.layer}, dim=${c.dim}`, c] as const))('%s', (_, c) => {
    const layer = c.layer === 'Linear' ? new nn.Linear(3, 2) : new nn.Conv1d(2, 3, 2);
    const shape = [...layer.weight.shape];
    torch.noGrad(() => {
      layer.weight.copy_(torch.tensor(c.weight).reshape(shape));
      layer.bias!.copy_(torch.tensor(c.bias));
    });
    const m = weightNorm(layer, 'weight', c.dim);
    const own = m as unknown as Record<string, torch.Tensor>;
    expect(m.namedParameters().map(([n]) => n)).toEqual(c.params);
    expect(Object.keys(m.stateDict())).toEqual(c.keys);
    expect(String(m)).toBe(c.repr);
    close(own.weight_g, c.g, c.gShape, 'g');
    close(own.weight_v, c.v, shape, 'v');
    close(own.weight, c.computed, shape, 'weight');
    expect(own.weight.gradFn?.name()).toBe(c.gradFn);
    const y = m(torch.tensor(c.x).reshape(c.xShape)) as torch.Tensor;
    close(y, c.y, c.yShape, 'output');
    y.backward(torch.tensor(c.upstream).reshape(c.yShape));
    close(own.weight_g.grad!, c.gGrad, c.gShape, 'g gradient');
    close(own.weight_v.grad!, c.vGrad, shape, 'v gradient');
    close(m.bias!.grad!, c.biasGrad, [c.biasGrad.length], 'bias gradient');
    removeWeightNorm(m);
    expect(Object.keys(m.stateDict())).toEqual(c.removedKeys);
    expect(m.weight).toBeInstanceOf(nn.Parameter);
    close(m.weight, c.removedWeight, shape, 'weight after removal');
  });

  it('recomputes the weight before each forward, after g and v are updated', () => {
    const m = weightNorm(new nn.Linear(3, 2));
    const own = m as unknown as Record<string, torch.Tensor>;
    torch.noGrad(() => own.weight_g.mul_(2));
    m(torch.ones(1, 3));
    const expected = own.weight_v.mul(own.weight_g.div(own.weight_v.pow(2).sum(1, { keepdim: true }).sqrt()));
    expect(own.weight.tolist()).toEqual(expected.tolist());
  });

  it("raises PyTorch's errors", () => {
    const m = weightNorm(new nn.Linear(3, 2));
    expect(() => weightNorm(m)).toThrow(golden.errors.twice);
    expect(() => removeWeightNorm(new nn.Linear(3, 2))).toThrow(golden.errors.remove);
  });
});
