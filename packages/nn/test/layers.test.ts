import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, expectExact, fromFixture, loadNnExtra, type FixtureTensor } from './fixtures.js';

interface NormStep {
  mode: 'train' | 'eval';
  input: FixtureTensor;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  running_mean?: FixtureTensor;
  running_var?: FixtureTensor;
  num_batches_tracked?: FixtureTensor;
}

interface NormCase {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  options: Record<string, any>;
  weight: FixtureTensor | null;
  bias: FixtureTensor | null;
  steps: NormStep[];
  num_features?: number;
  normalized_shape?: number[];
}

const extra = loadNnExtra();

/** Runs the fixture's steps: forward in the given mode, backward of sum(output * upstream), state after. */
function runSteps(module: nn.Module, c: NormCase, state: () => Record<string, Tensor | null>): void {
  const params = Object.fromEntries(module.namedParameters());
  torch.noGrad(() => {
    if (c.weight) params.weight.copy_(fromFixture(c.weight));
    if (c.bias) params.bias.copy_(fromFixture(c.bias));
  });
  c.steps.forEach((step, i) => {
    module.train(step.mode === 'train');
    const x = fromFixture(step.input, true);
    const y = module(x);
    expectClose(y, step.output, 1e-4, 1e-5, `step ${i} output`);
    module.zeroGrad({ setToNone: true });
    y.mul(fromFixture(step.upstream)).sum().backward();
    for (const [name, g] of Object.entries(step.grads)) {
      const actual = name === 'input' ? x.grad : params[name].grad;
      expect(actual, `step ${i} grad of ${name}`).not.toBeNull();
      expectClose(actual!, g, 1e-4, 1e-6, `step ${i} grad of ${name}`);
    }
    const buffers = state();
    for (const key of ['running_mean', 'running_var'] as const) {
      if (step[key]) expectClose(buffers[key]!, step[key]!, 1e-5, 1e-6, `step ${i} ${key}`);
    }
    if (step.num_batches_tracked) expect(buffers.num_batches_tracked!.item()).toBe(step.num_batches_tracked.data[0]);
  });
}

describe('BatchNorm1d against PyTorch (train and eval, running statistics, gradients)', () => {
  (extra.batchnorm as NormCase[]).forEach((c) => {
    it(c.name, () => {
      const bn = new nn.BatchNorm1d(c.num_features!, {
        momentum: c.options.momentum,
        affine: c.options.affine,
        trackRunningStats: c.options.track_running_stats,
      });
      runSteps(bn, c, () => ({ running_mean: bn.runningMean, running_var: bn.runningVar, num_batches_tracked: bn.numBatchesTracked }));
    });
  });

  it('checks input rank and batch size with PyTorch messages', () => {
    const bn = new nn.BatchNorm1d(3);
    expect(() => bn(torch.randn(2, 3, 4, 5))).toThrow('expected 2D or 3D input (got 4D input)');
    expect(() => bn(torch.randn(1, 3))).toThrow('Expected more than 1 value per channel when training, got input size torch.Size([1, 3])');
    expect(() => bn(torch.randn(2, 4))).toThrow('running_mean should contain 4 elements not 3');
    bn.eval();
    expect(bn(torch.randn(1, 3)).shape).toEqual([1, 3]);
  });
});

describe('LayerNorm against PyTorch', () => {
  (extra.layernorm as NormCase[]).forEach((c) => {
    it(c.name, () => {
      const ln = new nn.LayerNorm(c.normalized_shape!, { eps: c.options.eps, elementwiseAffine: c.options.elementwise_affine });
      runSteps(ln, c, () => ({}));
    });
  });

  it('rejects input whose trailing shape differs', () => {
    expect(() => new nn.LayerNorm(4)(torch.randn(2, 3))).toThrow(
      'Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[2, 3]',
    );
  });
});

describe('Dropout draws PyTorch masks under a seed', () => {
  interface DropoutCase {
    name: string;
    seed: number;
    p: number;
    input: FixtureTensor;
    transpose: boolean;
    calls: { output: FixtureTensor }[];
  }
  (extra.dropout as DropoutCase[]).forEach((c) => {
    it(`${c.name}: functional and module`, () => {
      const x = c.transpose ? fromFixture(c.input).t() : fromFixture(c.input);
      torch.manualSeed(c.seed);
      for (const call of c.calls) expectExact(F.dropout(x, c.p), call.output);
      torch.manualSeed(c.seed);
      const layer = new nn.Dropout(c.p);
      for (const call of c.calls) expectExact(layer(x), call.output);
      layer.eval();
      expect(layer(x)).toBe(x);
    });
  });

  it('scales the gradient by the mask', () => {
    torch.manualSeed(0);
    const x = torch.ones(7).requiresGrad_(true);
    const y = F.dropout(x, 0.5);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual(y.detach().tolist());
    expect(() => new nn.Dropout(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
  });

  it('uses a given generator', () => {
    const c = (extra.dropout as DropoutCase[]).find((k) => k.name === 'p02_large')!;
    torch.manualSeed(999);
    expectExact(F.dropout(fromFixture(c.input), c.p, true, false, { generator: new torch.Generator(c.seed) }), c.calls[0].output);
  });
});

describe('Embedding against PyTorch', () => {
  interface EmbeddingCase {
    name: string;
    seed: number;
    num: number;
    dim: number;
    padding_idx: number | null;
    weight: FixtureTensor;
    indices: FixtureTensor;
    output: FixtureTensor;
    upstream: FixtureTensor;
    grad: FixtureTensor;
  }
  (extra.embeddings as EmbeddingCase[]).forEach((c) => {
    it(`${c.name}: normal_ init, lookup and gradient`, () => {
      torch.manualSeed(c.seed);
      const emb = new nn.Embedding(c.num, c.dim, { paddingIdx: c.padding_idx });
      expectExact(emb.weight, c.weight, 'weight');
      const y = emb(fromFixture(c.indices));
      expectExact(y, c.output, 'output');
      y.mul(fromFixture(c.upstream)).sum().backward();
      expectClose(emb.weight.grad!, c.grad, 1e-5, 1e-6, 'grad');
    });
  });

  it('checks indices and builds from pretrained weights without drawing random numbers', () => {
    const emb = new nn.Embedding(10, 3);
    expect(() => emb(torch.tensor([11]))).toThrow('index out of range in self');
    expect(() => emb(torch.tensor([1.5]))).toThrow(/'indices' to have one of the following scalar types: Long, Int/);
    torch.manualSeed(4);
    const state = torch.getRngState();
    const weights = torch.tensor([[1, 2], [3, 4]], { dtype: 'float32' });
    const pretrained = nn.Embedding.fromPretrained(weights);
    expect(torch.getRngState()).toEqual(state);
    expect(pretrained.weight.requiresGrad).toBe(false);
    expect(pretrained(torch.tensor([1, 0])).tolist()).toEqual([[3, 4], [1, 2]]);
  });
});
