import { afterEach, describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectTensor, fromFixture, type FixtureTensor } from './golden-check.js';

// Golden values from real PyTorch 1.13 (Debian's build, no MKL): fixtures/gen_random_ops.py writes
// fixtures/random-ops.json. Each case seeds the generator, then makes the same call: the draws must be PyTorch's.
interface Case {
  name: string;
  seed: number;
  inputs: FixtureTensor[];
  output: FixtureTensor | { value: string };
}

type T = torch.Tensor;
const default64 = <R>(fn: () => R): R => {
  torch.setDefaultDtype('float64');
  try {
    return fn();
  } finally {
    torch.setDefaultDtype('float32');
  }
};

const CALLS: Record<string, (...xs: T[]) => T | string> = {
  normal_tensors: (m, s) => torch.normal(m, s),
  normal_tensors_small: (m, s) => torch.normal(m, s),
  normal_mean_tensor: (m) => torch.normal(m, 0.5),
  normal_std_tensor: (s) => torch.normal(2, s),
  normal_size: () => torch.normal(2, 3, [4, 5]),
  normal_size_small: () => torch.normal(-1, 0.5, [2, 3]),
  normal_size_keyword: () => torch.normal(0.0, 0.01, { size: [5, 1], requiresGrad: true }).detach(),
  normal_all_keywords: () => torch.normal({ mean: 1.0, std: 2.0, size: [3] }),
  bernoulli_tensor: (p) => torch.bernoulli(p),
  bernoulli_float64: (p) => p.bernoulli(),
  bernoulli_scalar: (x) => torch.bernoulli(x, 0.3),
  bernoulli_inplace_tensor: (p) => torch.zeros(4, 5).bernoulli_(p),
  poisson: (r) => torch.poisson(r),
  randint_like: (x) => torch.randintLike(x, 3, 10),
  randint_like_high: (x) => torch.randintLike(x, 5),
  exponential: () => torch.zeros(10).exponential_(2),
  geometric: () => torch.zeros(10).geometric_(0.3),
  exponential_float64: () => torch.zeros(6, { dtype: 'float64' }).exponential_(0.5),
  rand_float64: () => torch.rand(5, { dtype: 'float64' }),
  randn_float64: () => torch.randn(20, { dtype: 'float64' }),
  randn_float64_small: () => torch.randn(5, { dtype: 'float64' }),
  uniform_float64: () => torch.zeros(6, { dtype: 'float64' }).uniform_(-2, 3),
  normal_float64: () => torch.zeros(18, { dtype: 'float64' }).normal_(1, 2),
  default64_rand: () => default64(() => torch.rand(3)),
  default64_randn: () => default64(() => torch.randn(17)),
  default64_linear: () => default64(() => new torch.nn.Linear(3, 2).weight),
  default64_tensor: () => default64(() => torch.tensor([1.5, 2])),
  default64_zeros: () => default64(() => torch.zeros(2)),
  default64_arange: () => default64(() => torch.arange(0.5, 3)),
  default64_int_div: () => default64(() => torch.tensor([1, 2]).div(2)),
  default64_int_sqrt: () => default64(() => torch.tensor([4, 2]).sqrt()),
  default64_repr: () => default64(() => torch.tensor([1.5, 2]).toString()),
  default64_repr_float32: () => default64(() => torch.tensor([1.5, 2], { dtype: 'float32' }).toString()),
  default64_get: () => default64(() => `torch.${torch.getDefaultDtype()}`),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('random-ops', new URL('./fixtures/', import.meta.url));

describe("random draws and the default dtype against PyTorch 1.13's CPU stream", () => {
  afterEach(() => torch.setDefaultDtype('float32'));
  const cases = golden.cases as Case[];

  it('covers every generated case', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(CALLS).sort());
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    const inputs = c.inputs.map(fromFixture);
    torch.manualSeed(c.seed);
    const out = CALLS[name](...inputs);
    if ('value' in c.output) expect(out).toBe(c.output.value);
    else expectTensor(out as T, c.output, name, true, name.includes('float64') || name.startsWith('default64') ? 1e-12 : 1e-6);
  });
});

describe('default dtype, inference mode and the other settings', () => {
  afterEach(() => torch.setDefaultDtype('float32'));

  it('accepts only float32 and float64, as PyTorch', () => {
    expect(() => torch.setDefaultDtype('int64')).toThrow('only floating-point types are supported as the default type');
    expect(torch.getDefaultDtype()).toBe('float32');
    torch.setDefaultDtype('float64');
    expect([torch.ones(1).dtype, torch.linspace(0, 1, 3).dtype, torch.eye(2).dtype, torch.full([1], 0.5).dtype]).toEqual(['float64', 'float64', 'float64', 'float64']);
    expect(torch.tensor([1, 2]).dtype).toBe('int64');
  });

  it('runs inferenceMode without recording, as noGrad', () => {
    const w = torch.ones(2, { requiresGrad: true });
    expect(torch.inferenceMode(() => w.mul(2)).requiresGrad).toBe(false);
    expect(torch.inferenceMode(false, () => w.mul(2)).requiresGrad).toBe(true);
  });

  it('answers isFloatingPoint and isTensor', () => {
    expect([torch.isFloatingPoint(torch.zeros(1)), torch.isFloatingPoint(torch.tensor([1]))]).toEqual([true, false]);
    expect([torch.isTensor(torch.zeros(1)), torch.isTensor(1)]).toEqual([true, false]);
  });

  it('prints with setPrintoptions (PyTorch spelling)', () => {
    try {
      torch.setPrintoptions({ precision: 2 });
      expect(torch.tensor([1.23456]).toString()).toBe('tensor([1.23])');
    } finally {
      torch.setPrintoptions({ profile: 'default' });
    }
  });

  it('draws normal samples with the tensor arguments as gradients', () => {
    const mean = torch.zeros(3, { requiresGrad: true });
    const std = torch.ones(3, { requiresGrad: true });
    torch.manualSeed(0);
    const out = torch.normal(mean, std);
    out.sum().backward();
    expect(Array.from(mean.grad!.dataSync() as Float32Array)).toEqual([1, 1, 1]);
    expect(Array.from(std.grad!.dataSync() as Float32Array)).toEqual(Array.from(out.detach().dataSync() as Float32Array));
  });
});
