import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F, init } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';
import { callArgs, caseInputs, caseRows, checkCase, type GoldenCase } from './golden-cases.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_structure.py writes test/fixtures/nn-structure.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-structure', new URL('./fixtures/', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor arguments from untyped JSON
const MODULES: Record<string, new (...args: any[]) => nn.Module> = {
  ZeroPad2d: nn.ZeroPad2d,
  ConstantPad1d: nn.ConstantPad1d,
  ConstantPad2d: nn.ConstantPad2d,
  ReflectionPad1d: nn.ReflectionPad1d,
  ReflectionPad2d: nn.ReflectionPad2d,
  ReplicationPad1d: nn.ReplicationPad1d,
  ReplicationPad2d: nn.ReplicationPad2d,
  PixelShuffle: nn.PixelShuffle,
  PixelUnshuffle: nn.PixelUnshuffle,
  Unflatten: nn.Unflatten,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each F function has its own argument list
const FNS: Record<string, (...a: any[]) => Tensor> = {
  pixel_shuffle: F.pixelShuffle,
  pixel_unshuffle: F.pixelUnshuffle,
  bilinear: F.bilinear,
};

describe('padding, pixel shuffle, Unflatten and bilinear against PyTorch 1.13', () => {
  const cases = golden.cases as (GoldenCase & { ctor?: unknown[] })[];

  it.each(caseRows(cases))('%s: forward and gradients', (_, c) => {
    const inputs = caseInputs(c);
    const out = c.ctor ? (new MODULES[c.op](...c.ctor)(inputs[0]) as Tensor) : FNS[c.op](...inputs, ...callArgs(c));
    checkCase(c, inputs, out);
  });

  const ERRORS: Record<string, () => unknown> = {
    pixel_shuffle_dims: () => F.pixelShuffle(torch.randn(2, 5), 2),
    pixel_shuffle_channels: () => F.pixelShuffle(torch.randn(1, 5, 2, 2), 2),
    pixel_shuffle_factor: () => F.pixelShuffle(torch.randn(1, 4, 2, 2), 0),
    pixel_unshuffle_height: () => F.pixelUnshuffle(torch.randn(1, 1, 3, 4), 2),
    pixel_unshuffle_width: () => F.pixelUnshuffle(torch.randn(1, 1, 4, 3), 2),
    bilinear_input2: () => F.bilinear(torch.randn(2, 3), torch.randn(2, 4), torch.randn(5, 3, 3)),
    bilinear_batch: () => F.bilinear(torch.randn(2, 3), torch.randn(3, 4), torch.randn(5, 3, 4)),
    unflatten_sizes: () => new nn.Unflatten(1, [2, 4])(torch.randn(3, 10)),
    orthogonal_1d: () => init.orthogonal_(torch.zeros(3)),
    dirac_2d: () => init.dirac_(torch.zeros(3, 3)),
    dirac_groups: () => init.dirac_(torch.zeros(3, 3, 3), 2),
    parameter_list_extend_tensor: () => new nn.ParameterList().extend(torch.zeros(2, 3) as never),
    parameter_list_extend_parameter: () => new nn.ParameterList().extend(new nn.Parameter(torch.zeros(2)) as never),
  };
  const errors = (golden.errors as { op: string; message: string }[]).filter((e) => e.op in ERRORS);
  it.each(errors.map((e) => [e.op, e] as const))('raises PyTorch\'s error: %s', (op, e) => {
    expect(() => ERRORS[op]()).toThrow(e.message);
  });
});

describe('structure modules', () => {
  const BUILD: Record<string, () => nn.Module> = {
    zero_pad: () => new nn.ZeroPad2d(2),
    zero_pad_tuple: () => new nn.ZeroPad2d([1, 2, 3, 4]),
    constant_pad1d: () => new nn.ConstantPad1d(2, 3.5),
    constant_pad2d: () => new nn.ConstantPad2d([1, 2, 0, 1], -1),
    reflection_pad1d: () => new nn.ReflectionPad1d(2),
    reflection_pad2d: () => new nn.ReflectionPad2d([1, 1, 2, 0]),
    replication_pad1d: () => new nn.ReplicationPad1d([1, 2]),
    replication_pad2d: () => new nn.ReplicationPad2d(3),
    pixel_shuffle: () => new nn.PixelShuffle(2),
    pixel_unshuffle: () => new nn.PixelUnshuffle(3),
    unflatten: () => new nn.Unflatten(1, [2, 5]),
    bilinear: () => new nn.Bilinear(2, 3, 4),
    bilinear_nobias: () => new nn.Bilinear(2, 3, 4, { bias: false }),
    parameter_list: () => new nn.ParameterList([new nn.Parameter(torch.zeros(3, 4)), new nn.Parameter(torch.zeros([2], { dtype: 'float64' }))]),
    parameter_list_one: () => new nn.ParameterList([new nn.Parameter(torch.zeros(3))]),
    parameter_list_empty: () => new nn.ParameterList(),
    parameter_dict: () => new nn.ParameterDict({ a: new nn.Parameter(torch.zeros(3)), b: new nn.Parameter(torch.zeros([2, 2], { dtype: 'float64' })) }),
    holder: () => new Holder(),
  };

  class Holder extends nn.Module {
    scales = new nn.ParameterList([torch.ones(2), torch.ones(3)]);
    extra = new nn.ParameterDict({ bias: torch.zeros(2) });
    proj = new nn.Bilinear(2, 3, 1);
  }

  it.each((golden.reprs as { name: string; repr: string }[]).map((r) => [r.name, r] as const))('prints %s as PyTorch does', (name, r) => {
    expect(String(BUILD[name]())).toBe(r.repr);
  });

  it('registers the parameters of ParameterList and ParameterDict under PyTorch\'s keys', () => {
    const m = BUILD.holder();
    expect(Object.keys(m.stateDict())).toEqual(golden.holder_keys);
    expect(m.parameters().length).toBe(5);
    const list = new nn.ParameterList([torch.ones(2)]);
    list.append(torch.zeros(3));
    expect(list.length).toBe(2);
    expect(list.at(-1)).toBeInstanceOf(nn.Parameter);
    expect(list[1].shape).toEqual([3]);
    expect([...list].map((p) => p.shape)).toEqual([[2], [3]]);
    const dict = new nn.ParameterDict({ w: torch.ones(2) });
    dict.set('b', torch.zeros(1));
    expect(dict.keys()).toEqual(['w', 'b']);
    expect(dict.get('b')).toBeInstanceOf(nn.Parameter);
    expect(Object.keys(dict.stateDict())).toEqual(['w', 'b']);
    dict.delete('w');
    expect([...dict]).toEqual(['b']);
    const loaded = new nn.ParameterDict({ b: torch.ones(1) });
    loaded.loadStateDict(dict.stateDict());
    expect(loaded.get('b').tolist()).toEqual([0]);
  });

  it('initializes Bilinear from the seeded stream as PyTorch\'s reset_parameters does', () => {
    const b = golden.bilinear_init as { seed: number; weight: FixtureTensor; bias: FixtureTensor; keys: string[] };
    torch.manualSeed(b.seed);
    const m = new nn.Bilinear(3, 2, 4);
    expectClose(m.weight, b.weight, 0, 0, 'weight');
    expectClose(m.bias!, b.bias, 0, 0, 'bias');
    expect(Object.keys(m.stateDict())).toEqual(b.keys);
    const y = m(torch.randn(5, 3), torch.randn(5, 2));
    y.sum().backward();
    expect(m.weight.grad!.shape).toEqual([4, 3, 2]);
    expect(m.bias!.grad!.tolist()).toEqual([5, 5, 5, 5]);
  });
});

describe('nn.init.orthogonal_, truncNormal_ and dirac_ against PyTorch 1.13', () => {
  type InitCase = { name: string; shape: number[]; kwargs: Record<string, number>; seed: number; value: FixtureTensor };
  const apply: Record<string, (t: Tensor, k: Record<string, number>) => Tensor> = {
    orthogonal_: (t, k) => init.orthogonal_(t, k.gain ?? 1),
    trunc_normal_: (t, k) => init.truncNormal_(t, k.mean ?? 0, k.std ?? 1, k.a ?? -2, k.b ?? 2),
    dirac_: (t, k) => init.dirac_(t, k.groups ?? 1),
  };

  it.each((golden.init as InitCase[]).map((c) => [`${c.name} ${JSON.stringify(c.shape)} ${JSON.stringify(c.kwargs)}`, c] as const))(
    '%s gives PyTorch\'s values for the same seed',
    (_, c) => {
      torch.manualSeed(c.seed);
      const t = torch.full(c.shape, 7, { dtype: 'float32' });
      expect(apply[c.name](t, c.kwargs)).toBe(t);
      // QR and erfinv run in float64 here, in float32 in PyTorch: equal to float32 rounding.
      expectClose(t, c.value, 1e-5, 1e-6, c.name);
    },
  );

  it('orthogonal_ rows (or columns) are orthonormal, and a Parameter is filled without recording', () => {
    const w = new nn.Parameter(torch.empty(4, 7));
    init.orthogonal_(w);
    expect(w.gradFn).toBeNull();
    const gram = w.matmul(w.t());
    expectClose(gram, { shape: [4, 4], dtype: 'float32', data: torch.eye(4).reshape([-1]).tolist() as number[] }, 0, 1e-5);
  });

  it('truncNormal_ stays within [a, b] with about the truncated mean and spread', () => {
    torch.manualSeed(0);
    const t = init.truncNormal_(torch.empty(20000), 0, 1, -1, 1);
    expect(t.min().item()).toBeGreaterThanOrEqual(-1);
    expect(t.max().item()).toBeLessThanOrEqual(1);
    expect(Math.abs(t.mean().item())).toBeLessThan(0.02);
    // The variance of N(0, 1) truncated to [-1, 1] is 0.2911.
    expect(t.var().item()).toBeCloseTo(0.2911, 2);
  });

  it('orthogonal_ draws from the generator it is given', () => {
    const g1 = new torch.Generator().manualSeed(5);
    const g2 = new torch.Generator().manualSeed(5);
    const a = init.orthogonal_(torch.empty(3, 3), 1, { generator: g1 });
    const b = init.orthogonal_(torch.empty(3, 3), 1, { generator: g2 });
    expect(a.tolist()).toEqual(b.tolist());
    expect(fromFixture({ shape: [1], dtype: 'float32', data: [1] }).item()).toBe(1);
  });
});
