import { describe, expect, it, vi } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { loadFixture } from './fixtures.js';
import { callArgs, caseInputs, caseRows, checkCase, type GoldenCase } from './golden-cases.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_losses.py writes test/fixtures/nn-losses.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-losses', new URL('./fixtures/', import.meta.url));
const cases = golden.cases as GoldenCase[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each F function has its own argument list
const FNS: Record<string, (...a: any[]) => Tensor> = {
  kl_div: F.klDiv,
  margin_ranking_loss: F.marginRankingLoss,
  hinge_embedding_loss: F.hingeEmbeddingLoss,
  soft_margin_loss: F.softMarginLoss,
  multilabel_soft_margin_loss: F.multilabelSoftMarginLoss,
  cosine_embedding_loss: F.cosineEmbeddingLoss,
  multi_margin_loss: F.multiMarginLoss,
  triplet_margin_loss: F.tripletMarginLoss,
  poisson_nll_loss: F.poissonNllLoss,
  gaussian_nll_loss: F.gaussianNllLoss,
  cosine_similarity: F.cosineSimilarity,
  pairwise_distance: F.pairwiseDistance,
};

/** The module form of each case: constructor arguments from the F call's, then `module(...inputs)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor options from untyped JSON
const MODULES: Record<string, (o: any, a: unknown[]) => nn.Module> = {
  kl_div: (o) => new nn.KLDivLoss(o),
  margin_ranking_loss: (o) => new nn.MarginRankingLoss(o),
  hinge_embedding_loss: (o, a) => new nn.HingeEmbeddingLoss(...(a as [number]), o),
  soft_margin_loss: (o) => new nn.SoftMarginLoss(o),
  multilabel_soft_margin_loss: (o, a) => new nn.MultiLabelSoftMarginLoss(...(a as [Tensor]), o),
  cosine_embedding_loss: (o) => new nn.CosineEmbeddingLoss(o),
  multi_margin_loss: (o, a) => new nn.MultiMarginLoss(...(a as [number, number]), o),
  triplet_margin_loss: (o, a) => new nn.TripletMarginLoss(...(a as [number, number]), o),
  poisson_nll_loss: (o, a) => new nn.PoissonNLLLoss(...(a as [boolean, boolean]), o),
  gaussian_nll_loss: (o, a) => new nn.GaussianNLLLoss({ ...o, ...(a.length ? { full: a[0] } : {}) }),
  cosine_similarity: (o, a) => new nn.CosineSimilarity(...(a as [number]), o),
  pairwise_distance: (o, a) => new nn.PairwiseDistance(...(a as [number, number]), o),
};

describe('margin, probabilistic and distance losses against PyTorch 1.13', () => {
  // PyTorch warns (once) about kl_div's 'mean'; the spy keeps it out of the output and sees it.
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});

  it.each(caseRows(cases))('%s: forward and gradients', (_, c) => {
    const inputs = caseInputs(c);
    checkCase(c, inputs, FNS[c.op](...inputs, ...callArgs(c)));
  });

  it.each(caseRows(cases))('%s: the module gives the same', (_, c) => {
    const inputs = caseInputs(c);
    const args = callArgs(c);
    const options = (args.length && typeof args[args.length - 1] === 'object' ? args.pop() : {}) as Record<string, unknown>;
    // A loss weight given as a third input goes to the constructor.
    const weighted = c.op === 'multilabel_soft_margin_loss' && inputs.length === 3;
    const module = MODULES[c.op](options, weighted ? [inputs[2]] : args);
    checkCase(c, inputs, module(...(weighted ? inputs.slice(0, 2) : inputs)) as Tensor);
  });

  const ERRORS: Record<string, () => unknown> = {
    kl_div_reduction: () => F.klDiv(torch.randn(3), torch.rand(3), { reduction: 'foo' as never }),
    margin_ranking_dims: () => F.marginRankingLoss(torch.randn(3), torch.randn(3, 1), torch.ones(3)),
    cosine_embedding_1d_target: () => F.cosineEmbeddingLoss(torch.randn(3), torch.randn(3), torch.ones(3)),
    cosine_embedding_0d_target: () => F.cosineEmbeddingLoss(torch.randn(2, 3), torch.randn(2, 3), torch.tensor(1.0)),
    multi_margin_p: () => F.multiMarginLoss(torch.randn(2, 3), torch.tensor([0, 1]), { p: 3 }),
    multi_margin_module_p: () => new nn.MultiMarginLoss({ p: 3 }),
    multi_margin_target_size: () => F.multiMarginLoss(torch.randn(2, 3), torch.tensor([0, 1, 2])),
    triplet_dims: () => F.tripletMarginLoss(torch.randn(2, 3), torch.randn(3), torch.randn(2, 3)),
    gaussian_var_size: () => F.gaussianNllLoss(torch.randn(3, 4), torch.randn(3, 4), torch.ones(4)),
    gaussian_var_negative: () => F.gaussianNllLoss(torch.randn(3, 4), torch.randn(3, 4), torch.ones(3, 4).neg()),
    gaussian_reduction: () => F.gaussianNllLoss(torch.randn(3), torch.randn(3), torch.ones(3), { reduction: 'foo' as never }),
    poisson_reduction: () => F.poissonNllLoss(torch.randn(3), torch.randn(3), { reduction: 'foo' as never }),
    soft_margin_reduction: () => F.softMarginLoss(torch.randn(3), torch.randn(3), { reduction: 'foo' as never }),
  };
  it.each((golden.errors as { op: string; message: string }[]).map((e) => [e.op, e] as const))('raises PyTorch\'s error: %s', (op, e) => {
    expect(() => ERRORS[op]()).toThrow(e.message);
  });

  // PyTorch's positional arguments (size_average, reduce, reduction, ...): loss-positional.test.ts.
  it('multi_margin_loss checks its targets', () => {
    expect(() => F.multiMarginLoss(torch.randn(2, 3), torch.tensor([0, 3]))).toThrow('target out of range');
  });

  it('KLDivLoss with reduction mean warns as PyTorch does', () => {
    new nn.KLDivLoss()(torch.randn(2, 3).logSoftmax(1), torch.randn(2, 3).softmax(1));
    expect(warn.mock.calls.flat().join('\n')).toContain("'batchmean' divides only by the batch size");
  });
});

describe('loss modules', () => {
  const BUILD: Record<string, () => nn.Module> = {
    kl_div: () => new nn.KLDivLoss({ reduction: 'batchmean', logTarget: true }),
    margin_ranking: () => new nn.MarginRankingLoss(0.5),
    hinge_embedding: () => new nn.HingeEmbeddingLoss(),
    soft_margin: () => new nn.SoftMarginLoss(),
    multilabel_soft_margin: () => new nn.MultiLabelSoftMarginLoss(torch.ones(3)),
    cosine_embedding: () => new nn.CosineEmbeddingLoss(),
    multi_margin: () => new nn.MultiMarginLoss(2, 0.5, torch.ones(3)),
    triplet_margin: () => new nn.TripletMarginLoss({ swap: true }),
    poisson_nll: () => new nn.PoissonNLLLoss(false),
    gaussian_nll: () => new nn.GaussianNLLLoss({ full: true }),
    cosine_similarity: () => new nn.CosineSimilarity(0),
    pairwise_distance: () => new nn.PairwiseDistance(1.0, { keepdim: true }),
  };

  it.each((golden.reprs as { name: string; repr: string }[]).map((r) => [r.name, r] as const))('prints %s as PyTorch does', (name, r) => {
    expect(String(BUILD[name]())).toBe(r.repr);
  });

  it.each((golden.states as { name: string; keys: string[] }[]).map((s) => [s.name, s] as const))('%s has PyTorch\'s state_dict keys', (name, s) => {
    expect(Object.keys(BUILD[name]().stateDict())).toEqual(s.keys);
  });

  it('keeps PyTorch\'s attribute names and defaults', () => {
    const triplet = new nn.TripletMarginLoss();
    expect([triplet.margin, triplet.p, triplet.eps, triplet.swap, triplet.reduction]).toEqual([1, 2, 1e-6, false, 'mean']);
    const poisson = new nn.PoissonNLLLoss();
    expect([poisson.logInput, poisson.full, poisson.eps]).toEqual([true, false, 1e-8]);
    expect(new nn.PairwiseDistance().norm).toBe(2);
    expect(new nn.CosineSimilarity().dim).toBe(1);
  });
});
