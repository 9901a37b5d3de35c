import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import * as nn from '../src/index.js';
import { removeSpectralNorm, spectralNorm } from '../src/utils/index.js';
import { expectClose, loadFixture } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_spectral_norm.py writes test/fixtures/nn-spectral-norm.json.
interface Step {
  x: number[];
  xShape: number[];
  y: number[];
  yShape: number[];
  upstream: number[];
  u: number[];
  v: number[];
  computed: number[];
  gradFn: string;
  origGrad: number[];
}
interface SpectralNormCase {
  kind: 'Linear' | 'Conv2d' | 'ConvTranspose2d';
  iterations: number;
  weight: number[];
  bias: number[];
  u0: number[];
  v0: number[];
  keys: string[];
  params: string[];
  repr: string;
  steps: Step[];
  eval: { x: number[]; y: number[]; u: number[] };
  removedKeys: string[];
  removedWeight: number[];
}
const golden = loadFixture('nn-spectral-norm', new URL('./fixtures/', import.meta.url)) as { cases: SpectralNormCase[]; errors: Record<string, string> };
const vec = (data: number[], shape: readonly number[] = [data.length]) => ({ data, shape: [...shape], dtype: 'float32' });

function build(kind: SpectralNormCase['kind']): nn.Module & { weight: torch.Tensor; bias: torch.Tensor | null } {
  if (kind === 'Linear') return new nn.Linear(4, 3);
  if (kind === 'Conv2d') return new nn.Conv2d(2, 3, 2);
  return new nn.ConvTranspose2d(3, 2, 2);
}

describe('nn.utils.spectralNorm against PyTorch 1.13', () => {
  it.each(golden.cases.map((c) => [`${c.kind}, ${c.iterations} power iteration(s)`, c] as const))('%s', (_, c) => {
    const layer = build(c.kind);
    const shape = [...layer.weight.shape];
    torch.noGrad(() => {
      layer.weight.copy_(torch.tensor(c.weight).reshape(shape));
      layer.bias!.copy_(torch.tensor(c.bias));
    });
    torch.manualSeed(11);
    const m = spectralNorm(layer, 'weight', { nPowerIterations: c.iterations });
    const own = m as unknown as Record<string, torch.Tensor>;
    expectClose(own.weight_u, vec(c.u0), 1e-6, 1e-7, 'u drawn');
    expectClose(own.weight_v, vec(c.v0), 1e-6, 1e-7, 'v drawn');
    expect(Object.keys(m.stateDict())).toEqual(c.keys);
    expect(m.namedParameters().map(([n]) => n)).toEqual(c.params);
    expect(String(m)).toBe(c.repr);
    for (const [i, s] of c.steps.entries()) {
      const y = m(torch.tensor(s.x).reshape(s.xShape)) as torch.Tensor;
      expectClose(y, vec(s.y, s.yShape), 1e-5, 1e-6, `step ${i} output`);
      y.backward(torch.tensor(s.upstream).reshape(s.yShape));
      expectClose(own.weight_u, vec(s.u), 1e-5, 1e-6, `step ${i} u`);
      expectClose(own.weight_v, vec(s.v), 1e-5, 1e-6, `step ${i} v`);
      expectClose(own.weight, vec(s.computed, shape), 1e-5, 1e-6, `step ${i} weight`);
      expect(own.weight.gradFn?.name()).toBe(s.gradFn);
      expectClose(own.weight_orig.grad!, vec(s.origGrad, shape), 1e-4, 1e-5, `step ${i} weight_orig gradient`);
      own.weight_orig.grad = null;
      m.bias!.grad = null;
    }
    m.eval();
    const evalOut = m(torch.tensor(c.eval.x).reshape(c.steps[0].xShape)) as torch.Tensor;
    expectClose(evalOut, vec(c.eval.y, c.steps[0].yShape), 1e-5, 1e-6, 'eval output');
    expectClose(own.weight_u, vec(c.eval.u), 1e-6, 1e-7, 'eval leaves u');
    removeSpectralNorm(m);
    expect(Object.keys(m.stateDict())).toEqual(c.removedKeys);
    expectClose(m.weight, vec(c.removedWeight, shape), 1e-5, 1e-6, 'weight after removal');
  });

  it("raises PyTorch's errors", () => {
    const m = spectralNorm(new nn.Linear(3, 2));
    expect(() => spectralNorm(m)).toThrow(golden.errors.twice);
    expect(() => removeSpectralNorm(new nn.Linear(3, 2))).toThrow(golden.errors.remove);
  });
});
