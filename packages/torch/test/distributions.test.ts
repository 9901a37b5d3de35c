import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectTensor } from './golden-check.js';

// torch.distributions against real PyTorch 1.13 (fixtures/gen_distributions.py): moments, log_prob, entropy and
// their gradients, seeded samples, reprs and validation errors.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('distributions', new URL('./fixtures/', import.meta.url));
const { Bernoulli, Categorical, Normal, Uniform } = torch.distributions;
const f32 = (data: unknown) => torch.tensor(data as number[], { dtype: 'float32' });
const i64 = (data: unknown) => torch.tensor(data as number[], { dtype: 'int64' });

describe('torch.distributions.Categorical', () => {
  const g = golden.categorical;

  it("matches PyTorch's shapes, moments, log_prob, entropy and their gradients", () => {
    const logits = f32([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, -0.5, 0.25]]).requiresGrad_();
    const d = new Categorical({ logits });
    expect(d.batchShape).toEqual(g.batch_shape);
    expect(d.eventShape).toEqual(g.event_shape);
    expect(d.paramShape).toEqual(g.param_shape);
    const lp = d.logProb(i64([[2, 0], [3, 1], [1, 1]]));
    const ent = d.entropy();
    lp.sum().add(ent.sum()).backward();
    expectTensor(d.logits, g.logits, 'logits');
    expectTensor(d.probs, g.probs, 'probs');
    expectTensor(lp, g.log_prob, 'log_prob');
    expectTensor(ent, g.entropy, 'entropy');
    expectTensor(logits.grad!, g.grad, 'grad');
    expectTensor(d.mean, g.mean, 'mean');
    expectTensor(d.variance, g.variance, 'variance');
    expectTensor(d.mode, g.mode, 'mode');
    expectTensor(d.perplexity(), g.perplexity, 'perplexity');
    expectTensor(d.enumerateSupport(), g.support, 'enumerate_support');
    expectTensor(d.enumerateSupport(false), g.support_unexpanded, 'enumerate_support(expand=False)');
    expect(String(d)).toBe(g.repr_logits);
  });

  it('normalizes probs, draws PyTorch’s samples for the same seed, and expands', () => {
    const probs = f32([0.1, 0.2, 0.3, 0.4]);
    const p = new Categorical(probs.mul(2));
    expectTensor(p.logits, g.probs_logits, 'logits from probs');
    expectTensor(p.logProb(i64([0, 1, 2, 3])), g.probs_log_prob, 'log_prob');
    expectTensor(p.entropy(), g.probs_entropy, 'entropy');
    torch.manualSeed(5);
    expectTensor(p.sample([3, 5]), g.samples, 'sample((3, 5))');
    const d = new Categorical(null, f32([[0.5, -1.0, 2.0, 0.0], [1.0, 1.0, -0.5, 0.25]]));
    torch.manualSeed(6);
    expectTensor(d.sample([4]), g.batch_samples, 'batched sample((4,))');
    expectTensor(p.expand([2, 3]).logProb(torch.tensor(1)), g.expanded_log_prob, 'expand');
    expect(String(new Categorical(probs))).toBe(g.repr);
    expect(String(p.support)).toBe(g.support_repr);
    expectTensor(new Categorical(f32([0, 1])).entropy(), g.zero_entropy, 'entropy with a zero probability');
  });
});

describe('torch.distributions.Bernoulli', () => {
  const g = golden.bernoulli;

  it("matches PyTorch's moments, log_prob, entropy, gradients and samples", () => {
    const probs = f32([0.2, 0.5, 0.9]).requiresGrad_();
    const d = new Bernoulli(probs);
    expect(d.batchShape).toEqual(g.batch_shape);
    const lp = d.logProb(f32([[1, 0, 1], [0, 0, 1]]));
    const ent = d.entropy();
    lp.sum().add(ent.sum()).backward();
    expectTensor(d.logits, g.logits, 'logits');
    expectTensor(lp, g.log_prob, 'log_prob');
    expectTensor(ent, g.entropy, 'entropy');
    expectTensor(probs.grad!, g.grad, 'grad');
    expectTensor(d.mean, g.mean, 'mean');
    expectTensor(d.variance, g.variance, 'variance');
    expectTensor(d.stddev, g.stddev, 'stddev');
    expectTensor(d.mode, g.mode, 'mode');
    torch.manualSeed(3);
    expectTensor(d.sample([4]), g.samples, 'sample((4,))');
    expectTensor(d.enumerateSupport(), g.support, 'enumerate_support');
    expect(String(d)).toBe(g.repr_tensor);
  });

  it('takes logits, and a number for a scalar distribution', () => {
    const lg = new Bernoulli({ logits: f32([-1, 0, 3]) });
    expectTensor(lg.probs, g.logits_probs, 'probs from logits');
    expectTensor(lg.logProb(f32([1, 1, 0])), g.logits_log_prob, 'log_prob');
    expectTensor(lg.entropy(), g.logits_entropy, 'entropy');
    expect(new Bernoulli(0.3).batchShape).toEqual(g.scalar_batch_shape);
    expectTensor(new Bernoulli(0.3).logProb(torch.tensor(1.0, { dtype: 'float32' })), g.scalar_log_prob, 'scalar log_prob');
    expect(String(new Bernoulli(0.3))).toBe(g.repr);
  });
});

describe('torch.distributions.Normal', () => {
  const g = golden.normal;

  it("matches PyTorch's log_prob, entropy, cdf, gradients, sample and rsample", () => {
    const loc = f32([0.0, 1.5, -2.0]).requiresGrad_();
    const scale = f32([1.0, 0.5, 2.0]).requiresGrad_();
    const d = new Normal(loc, scale);
    expect(d.batchShape).toEqual(g.batch_shape);
    const value = f32([[0.3, 1.0, -1.0], [-0.5, 2.5, 0.0]]);
    const lp = d.logProb(value);
    const ent = d.entropy();
    lp.sum().add(ent.sum()).backward();
    expectTensor(lp, g.log_prob, 'log_prob');
    expectTensor(ent, g.entropy, 'entropy');
    expectTensor(loc.grad!, g.loc_grad, 'loc grad');
    expectTensor(scale.grad!, g.scale_grad, 'scale grad');
    expectTensor(d.mean, g.mean, 'mean');
    expectTensor(d.variance, g.variance, 'variance');
    expectTensor(d.stddev, g.stddev, 'stddev');
    expectTensor(d.mode, g.mode, 'mode');
    expectTensor(d.cdf(value), g.cdf, 'cdf');
    torch.manualSeed(11);
    const samples = d.sample([2]);
    expect(samples.requiresGrad).toBe(false);
    expectTensor(samples, g.samples, 'sample((2,))');
    torch.manualSeed(11);
    const rs = d.rsample([2]);
    expectTensor(rs, g.rsample, 'rsample((2,))');
    loc.grad = null;
    rs.sum().backward();
    expectTensor(loc.grad!, g.rsample_loc_grad, 'loc grad through rsample');
    torch.manualSeed(12);
    expectTensor(new Normal(0, 1).sample([5]), g.scalar_samples, 'Normal(0., 1.).sample((5,))');
    expectTensor(new Normal(torch.zeros(2, 1), 2.0).logProb(f32([1, -1, 0.5])), g.broadcast_log_prob, 'broadcast log_prob');
    expect(String(new Normal(0, 1))).toBe(g.repr);
    expect(String(d)).toBe(g.repr_tensor);
    expect(new Normal(0, 1).expand([2, 3]).sample().shape).toEqual(g.expanded_shape);
  });
});

describe('torch.distributions.Uniform', () => {
  const g = golden.uniform;

  it("matches PyTorch's log_prob, moments, cdf, icdf, rsample and its gradient", () => {
    const high = f32([2.0, 3.0]).requiresGrad_();
    const d = new Uniform(f32([0.0, -1.0]), high);
    expect(d.batchShape).toEqual(g.batch_shape);
    const value = f32([[0.5, 2.5], [1.0, -0.5]]);
    expectTensor(d.logProb(value), g.log_prob, 'log_prob');
    expectTensor(d.entropy(), g.entropy, 'entropy');
    expectTensor(d.mean, g.mean, 'mean');
    expectTensor(d.variance, g.variance, 'variance');
    expectTensor(d.stddev, g.stddev, 'stddev');
    expectTensor(d.cdf(value), g.cdf, 'cdf');
    expectTensor(d.icdf(f32([0.25, 0.75])), g.icdf, 'icdf');
    torch.manualSeed(4);
    const rs = d.rsample([3]);
    rs.sum().backward();
    expectTensor(rs, g.rsample, 'rsample((3,))');
    expectTensor(high.grad!, g.high_grad, 'high grad');
    torch.manualSeed(4);
    expectTensor(d.sample([3]), g.samples, 'sample((3,))');
    expect(String(new Uniform(0, 2))).toBe(g.repr);
    expect(String(new Uniform(0, 2).support)).toBe(g.support_repr);
    expectTensor(new Uniform(0, 2, { validateArgs: false }).logProb(f32([-1, 1, 2])), g.outside_log_prob, 'log_prob outside the support');
  });
});

describe('torch.distributions.klDivergence', () => {
  const g = golden.kl;
  const { klDivergence } = torch.distributions;

  it("matches PyTorch's KL(p || q) for two of a kind, infinities included", () => {
    expectTensor(klDivergence(new Bernoulli(f32([0.2, 0.5, 0, 1])), new Bernoulli(f32([0.3, 0.5, 0.4, 0.6]))), g.bernoulli, 'Bernoulli');
    expectTensor(klDivergence(new Bernoulli(f32([0.2, 0.7])), new Bernoulli(f32([0, 1]))), g.bernoulli_inf, 'Bernoulli to 0 and 1');
    const pc = new Categorical(f32([[0.2, 0.3, 0.5], [0, 0.5, 0.5]]));
    expectTensor(klDivergence(pc, new Categorical(f32([[0.1, 0.6, 0.3], [0.3, 0.3, 0.4]]))), g.categorical, 'Categorical');
    expectTensor(klDivergence(new Categorical(f32([0.5, 0.5])), new Categorical(f32([1, 0]))), g.categorical_inf, 'Categorical to a zero');
    const pn = new Normal(f32([0, 1]), f32([1, 2]));
    expectTensor(klDivergence(pn, new Normal(f32([0.5, -1]), f32([2, 0.5]))), g.normal, 'Normal');
    expectTensor(klDivergence(new Uniform(f32([0, 0]), f32([1, 2])), new Uniform(f32([-1, 0.5]), f32([2, 3]))), g.uniform, 'Uniform');
  });

  it('raises for a pair without a registered KL, and takes new pairs through registerKl', () => {
    expect(() => klDivergence(new Normal(0, 1), new Bernoulli(0.5))).toThrow('No KL(p || q) is implemented for p type Normal and q type Bernoulli');
    class Gaussian extends Normal {}
    expectTensor(klDivergence(new Gaussian(f32([0, 1]), f32([1, 2])), new Normal(f32([0.5, -1]), f32([2, 0.5]))), g.normal, 'a subclass');
    torch.distributions.registerKl(Normal, Bernoulli)(() => torch.tensor(7.0));
    expect(klDivergence(new Normal(0, 1), new Bernoulli(0.5)).item()).toBe(7);
  });
});

describe('validation, as in PyTorch', () => {
  const e = golden.errors;
  const cases: [string, () => unknown][] = [
    ['neither', () => new Categorical()],
    ['both', () => new Categorical(f32([0.5, 0.5]), f32([0, 0]))],
    ['zero_dim', () => new Categorical(torch.tensor(1.0))],
    ['zero_dim_logits', () => new Categorical({ logits: torch.tensor(1.0) })],
    ['simplex', () => new Categorical(f32([0.2, -0.3, 0.5]))],
    ['nan_logits', () => new Categorical({ logits: f32([1, NaN]) })],
    ['support', () => new Categorical(f32([0.2, 0.3, 0.5])).logProb(i64([3]))],
    ['not_tensor', () => new Normal(0, 1).logProb(0.5 as unknown as torch.Tensor)],
    ['scale', () => new Normal(0, -1)],
    ['broadcast', () => new Normal(torch.zeros(2), 1).logProb(torch.zeros(3))],
    ['bernoulli_probs', () => new Bernoulli(1.5)],
    ['bernoulli_support', () => new Bernoulli(0.3).logProb(f32(0.5))],
    ['uniform_order', () => new Uniform(1, 0)],
    ['uniform_support', () => new Uniform(0, 1).logProb(f32(2.0))],
  ];
  for (const [name, fn] of cases) {
    it(`raises PyTorch's ValueError (as a RangeError): ${name}`, () => {
      expect(fn).toThrow(RangeError);
      expect(fn).toThrow(e[name]);
    });
  }

  it('is skipped with validateArgs: false or Distribution.setDefaultValidateArgs(false)', () => {
    expect(() => new Normal(0, -1, { validateArgs: false })).not.toThrow();
    torch.distributions.Distribution.setDefaultValidateArgs(false);
    try {
      expect(new Categorical(f32([0.2, 0.3, 0.5])).logProb(i64([1])).shape).toEqual([1]);
      expect(() => new Bernoulli(1.5)).not.toThrow();
    } finally {
      torch.distributions.Distribution.setDefaultValidateArgs(true);
    }
  });
});
