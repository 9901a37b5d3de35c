import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';
import { callArgs, camel, caseInputs, caseRows, checkCase, type GoldenCase } from './golden-cases.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_more_layers.py writes test/fixtures/nn-more-layers.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-more-layers', new URL('./fixtures/', import.meta.url));
const LOSSES = ['triplet_margin_with_distance_loss', 'multilabel_margin_loss'];
const cases = (golden.cases as (GoldenCase & { grad_fn: string | null })[]).filter((c) => !LOSSES.includes(c.op));

/** `F.<op>` by PyTorch's name, camelCased. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each F function has its own argument list
export function functional(op: string): (...a: any[]) => Tensor {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- looked up by name
  const fn = (F as any)[op.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
  expect(fn, op).toBeTypeOf('function');
  return fn;
}

describe('3-D convolution and pooling, unpooling, LP pooling, LRN, RReLU, channel shuffle, pdist against PyTorch 1.13', () => {
  it.each(caseRows(cases))('%s: forward, gradients and grad_fn', (_, c) => {
    const inputs = caseInputs(c);
    const out = functional(c.op)(...inputs, ...callArgs(c));
    expect(out.gradFn?.name() ?? null).toBe(c.grad_fn);
    checkCase(c, inputs, out, { rtol: 1e-5, atol: 1e-5 });
  });

  // The module form of each case: the layer built from the F call's arguments, then `layer(...inputs)`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor arguments from untyped JSON
  const MODULES: Record<string, (a: any[], o: Record<string, any>) => nn.Module> = {
    max_pool3d: (a, o) => new nn.MaxPool3d(a[0], o),
    avg_pool3d: (a, o) => new nn.AvgPool3d(a[0], o),
    adaptive_avg_pool3d: (a) => new nn.AdaptiveAvgPool3d(a[0]),
    adaptive_max_pool3d: (a) => new nn.AdaptiveMaxPool3d(a[0]),
    max_unpool1d: (a, o) => new nn.MaxUnpool1d(a[0], o),
    max_unpool2d: (a, o) => new nn.MaxUnpool2d(a[0], o),
    max_unpool3d: (a, o) => new nn.MaxUnpool3d(a[0], o),
    lp_pool1d: (a, o) => new nn.LPPool1d(...(a as [number, number]), o),
    lp_pool2d: (a, o) => new nn.LPPool2d(...(a as [number, number]), o),
    local_response_norm: (a, o) => new nn.LocalResponseNorm(a[0], o),
    channel_shuffle: (a) => new nn.ChannelShuffle(a[0]),
  };
  const withModule = cases.filter((c) => c.op in MODULES);
  it.each(caseRows(withModule))('%s: the module gives the same', (_, c) => {
    const { outputSize, ...options } = camel(c.kwargs);
    const layer = MODULES[c.op](c.args, options);
    const inputs = caseInputs(c);
    // The unpool layers take `output_size` in the call, as PyTorch's `forward(input, indices, output_size)`.
    const out = (layer as unknown as (...a: unknown[]) => Tensor)(...inputs, ...(outputSize ? [outputSize] : []));
    checkCase(c, inputs, out, { rtol: 1e-5, atol: 1e-5 });
  });

  it('takes the required arguments by keyword too, as Python does', () => {
    const x = torch.randn([1, 2, 4, 4, 4]);
    expect(F.maxPool3d(x, { kernelSize: 2 }).tolist()).toEqual(F.maxPool3d(x, 2).tolist());
    expect(F.avgPool3d(x, { kernelSize: 2, stride: 1 }).tolist()).toEqual(F.avgPool3d(x, 2, 1).tolist());
    expect(F.lpPool2d(x.select(2, 0), { normType: 2, kernelSize: 2 }).tolist()).toEqual(F.lpPool2d(x.select(2, 0), 2, 2).tolist());
    expect(F.localResponseNorm(x, { size: 3 }).tolist()).toEqual(F.localResponseNorm(x, 3).tolist());
    expect(new nn.MaxPool3d({ kernelSize: 2, stride: 1 }).stride).toBe(1);
    expect(new nn.Conv3d({ inChannels: 2, outChannels: 3, kernelSize: 2 }).weight.shape).toEqual([3, 2, 2, 2, 2]);
    expect(() => F.maxPool3d(x, 2, { ceil_mode: true } as never)).toThrow("max_pool3d() got an unexpected keyword argument 'ceil_mode'");
  });

  it.each((golden.errors as { op: string; message: string }[]).filter((e) => ERRORS[e.op]).map((e) => [e.op, e] as const))('raises PyTorch\'s error for %s', (op, e) => {
    expect(ERRORS[op]).toThrow(e.message);
  });

  it('has a test for every error case', () => {
    expect((golden.errors as { op: string }[]).map((e) => e.op).filter((op) => !ERRORS[op] && !op.startsWith('ctc') && !op.startsWith('triplet') && !op.startsWith('multilabel'))).toEqual([]);
  });
});

const r = (...shape: number[]) => torch.randn(shape);
const ERRORS: Record<string, () => unknown> = {
  conv3d_2d: () => F.conv3d(r(4, 4), r(2, 1, 3, 3, 3)),
  conv3d_channels: () => F.conv3d(r(1, 2, 4, 4, 4), r(2, 3, 3, 3, 3)),
  conv_transpose3d_output_padding: () => F.convTranspose3d(r(1, 1, 4, 4, 4), r(1, 1, 3, 3, 3), null, { outputPadding: 1 }),
  max_pool3d_3d: () => F.maxPool3d(r(4, 4, 4), 2),
  max_pool3d_padding: () => F.maxPool3d(r(1, 1, 4, 4, 4), 2, { padding: 2 }),
  avg_pool3d_kernel: () => F.avgPool3d(r(1, 1, 4, 4, 4), 5),
  adaptive_avg_pool3d_3d: () => F.adaptiveAvgPool3d(r(4, 4, 4), 2),
  max_unpool2d_output_size: () => F.maxUnpool2d(r(1, 1, 2, 2), torch.zeros([1, 1, 2, 2], { dtype: 'int64' }), 2, { outputSize: [9, 9] }),
  max_unpool2d_index: () => F.maxUnpool2d(r(1, 1, 2, 2), torch.full([1, 1, 2, 2], 17, { dtype: 'int64' }), 2),
  local_response_norm_2d: () => F.localResponseNorm(r(3, 4), 2),
  alpha_dropout_p: () => F.alphaDropout(r(3), 1.5, true),
  feature_alpha_dropout_1d: () => F.featureAlphaDropout(r(3), 0.5, true),
  channel_shuffle_groups: () => F.channelShuffle(r(1, 3, 4), 2),
  pdist_3d: () => F.pdist(r(2, 3, 4)),
  pdist_p: () => F.pdist(r(3, 4), -1),
};

describe('the 3-D max pools\' indices against PyTorch 1.13', () => {
  type Indices = { op: string; args: unknown[]; kwargs: Record<string, unknown>; input: FixtureTensor; output: FixtureTensor; indices: FixtureTensor };
  it.each((golden.indices as Indices[]).map((c, i) => [`${i} ${c.op}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)})`, c] as const))('%s', (_, c) => {
    const x = fromFixture(c.input);
    const extra = Object.keys(c.kwargs).length > 0 ? [camel(c.kwargs)] : [];
    const [out, indices] = functional(c.op)(x, ...c.args, ...extra) as unknown as [Tensor, Tensor];
    expectClose(out, c.output, 0, 0, 'output');
    expect(indices.dtype).toBe('int64');
    expect(Array.from(indices.dataSync(), Number)).toEqual(c.indices.data);
    if (c.op === 'max_pool3d' && !c.kwargs.padding) {
      // And back: the unpool puts each maximum where it came from.
      const back = F.maxUnpool3d(out, indices, c.args[0] as number, { outputSize: x.shape });
      expect(back.shape).toEqual(x.shape);
      expect(back.sum().item()).toBeCloseTo(out.sum().item(), 4);
    }
  });
});

describe('training-mode draws (RReLU, alpha dropout) against PyTorch 1.13 for the same seed', () => {
  const draws: Record<string, (x: Tensor) => Tensor> = {
    rrelu: (x) => F.rrelu(x, { training: true }),
    rrelu_bounds: (x) => F.rrelu(x, 0.05, 0.5, true),
    rrelu_module: (x) => new nn.RReLU(0.1, 0.2)(x),
    alpha_dropout: (x) => F.alphaDropout(x, 0.3, true),
    alpha_dropout_module: (x) => new nn.AlphaDropout(0.2)(x),
    feature_alpha_dropout: (x) => F.featureAlphaDropout(x, 0.4, true),
    feature_alpha_dropout_module: (x) => new nn.FeatureAlphaDropout(0.5)(x),
  };
  type Draw = { name: string; seed: number; input: FixtureTensor; upstream: FixtureTensor; output: FixtureTensor; grad: FixtureTensor; grad_fn: string };

  it.each((golden.random as Draw[]).map((d) => [d.name, d] as const))('%s', (name, d) => {
    const x = fromFixture(d.input, true);
    torch.manualSeed(d.seed);
    const y = draws[name](x);
    expect(y.gradFn?.name()).toBe(d.grad_fn);
    expectClose(y, d.output, 1e-6, 1e-6, 'output');
    y.mul(fromFixture(d.upstream)).sum().backward();
    expectClose(x.grad!, d.grad, 1e-6, 1e-6, 'grad');
  });

  it('passes input through in evaluation, as PyTorch (alpha dropout returns the input itself)', () => {
    const x = r(2, 3, 4);
    expect(F.alphaDropout(x, 0.5)).toBe(x);
    const m = new nn.FeatureAlphaDropout(0.5);
    m.eval();
    expect(m(x)).toBe(x);
  });
});

describe('the new modules', () => {
  const build: Record<string, () => nn.Module> = {
    conv3d: () => new nn.Conv3d(2, 4, 3),
    conv3d_full: () => new nn.Conv3d(4, 6, [3, 1, 2], { stride: [2, 1, 1], padding: 1, dilation: 2, groups: 2, bias: false }),
    conv_transpose3d: () => new nn.ConvTranspose3d(3, 2, 3, { stride: 2, outputPadding: 1 }),
    max_pool3d: () => new nn.MaxPool3d(2),
    max_pool3d_full: () => new nn.MaxPool3d([3, 2, 2], 2, 1, 1, true, true),
    avg_pool3d: () => new nn.AvgPool3d(2),
    avg_pool3d_full: () => new nn.AvgPool3d(3, { stride: [2, 1, 1], padding: 1, ceilMode: true, countIncludePad: false, divisorOverride: 2 }),
    adaptive_avg_pool3d: () => new nn.AdaptiveAvgPool3d([null, 2, 3]),
    adaptive_max_pool3d: () => new nn.AdaptiveMaxPool3d(2, { returnIndices: true }),
    max_unpool1d: () => new nn.MaxUnpool1d(2),
    max_unpool2d: () => new nn.MaxUnpool2d(3, { stride: 2, padding: 1 }),
    max_unpool3d: () => new nn.MaxUnpool3d([2, 2, 1]),
    lp_pool1d: () => new nn.LPPool1d(2, 3),
    lp_pool2d: () => new nn.LPPool2d(1.5, [2, 3], { stride: 1, ceilMode: true }),
    local_response_norm: () => new nn.LocalResponseNorm(3),
    local_response_norm_full: () => new nn.LocalResponseNorm(2, { alpha: 0.01, beta: 0.5, k: 2 }),
    rrelu: () => new nn.RReLU(),
    rrelu_full: () => new nn.RReLU(0.1, 0.25, { inplace: true }),
    alpha_dropout: () => new nn.AlphaDropout(),
    feature_alpha_dropout: () => new nn.FeatureAlphaDropout(0.2, { inplace: true }),
    channel_shuffle: () => new nn.ChannelShuffle(3),
    lazy_linear: () => new nn.LazyLinear(3),
    lazy_linear_nobias: () => new nn.LazyLinear(3, false),
  };

  // The losses' reprs are checked with the losses (more-losses.test.ts).
  const layerReprs = (golden.reprs as { name: string; repr: string }[]).filter((x) => !/_loss$/.test(x.name));
  it.each(layerReprs.map((x) => [x.name, x] as const))('prints %s as PyTorch does', (name, x) => {
    expect(build[name], name).toBeDefined();
    expect(String(build[name]())).toBe(x.repr);
  });

  it.each((golden.init as { name: string; seed: number; weight: FixtureTensor; bias: FixtureTensor; keys: string[] }[]).map((x) => [x.name, x] as const))(
    'initializes %s from the seeded stream as PyTorch\'s reset_parameters does',
    (name, x) => {
      const make: Record<string, () => nn.Conv3d | nn.ConvTranspose3d> = {
        conv3d: () => new nn.Conv3d(2, 3, [2, 3, 2]),
        conv_transpose3d: () => new nn.ConvTranspose3d(4, 6, 2, { groups: 2 }),
      };
      torch.manualSeed(x.seed);
      const m = make[name]();
      expectClose(m.weight, x.weight, 0, 0, 'weight');
      expectClose(m.bias!, x.bias, 0, 0, 'bias');
      expect(Object.keys(m.stateDict())).toEqual(x.keys);
    },
  );

  it('LazyLinear takes in_features from its first input, initialized then from the seeded stream, and becomes a Linear', () => {
    const l = golden.lazy_linear;
    torch.manualSeed(l.seed);
    const m = new nn.LazyLinear(3);
    const x = torch.randn([2, 5]);
    expectClose(x, l.input, 0, 0, 'input');
    const y = m(x);
    expectClose(m.weight, l.weight, 0, 0, 'weight');
    expectClose(m.bias!, l.bias, 0, 0, 'bias');
    expectClose(y, l.output, 1e-6, 1e-6, 'output');
    expect(String(m)).toBe(l.repr);
    expect(m).toBeInstanceOf(nn.Linear);
    expect(Object.keys(m.stateDict())).toEqual(l.keys);
  });

  it('MaxUnpool2d undoes a MaxPool2d with returnIndices, as in PyTorch\'s example', () => {
    const pool = new nn.MaxPool2d(2, { stride: 2, returnIndices: true });
    const unpool = new nn.MaxUnpool2d(2, { stride: 2 });
    const x = torch.tensor([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], { dtype: 'float32' });
    const [out, indices] = pool(x) as unknown as [Tensor, Tensor];
    expect(unpool(out, indices).tolist()).toEqual([[[[0, 0, 0, 0], [0, 6, 0, 8], [0, 0, 0, 0], [0, 14, 0, 16]]]]);
    expect(unpool(out, indices, [1, 1, 5, 5]).shape).toEqual([1, 1, 5, 5]);
  });

  it('LazyLinear loaded before its first call takes the checkpoint\'s shapes, as PyTorch\'s (in_features stays 0 there)', () => {
    const l = golden.lazy_linear;
    const source = new nn.Linear(5, 3);
    const m = new nn.LazyLinear(3);
    m.loadStateDict(source.stateDict());
    expect(String(m)).toBe(l.repr_loaded);
    const x = torch.randn([2, 5]);
    expect(m(x).tolist()).toEqual(source(x).tolist());
    expect(String(m)).toBe(l.repr_loaded_called);
  });

  it('LazyLinear draws nothing until its first call, as PyTorch\'s', () => {
    torch.manualSeed(5);
    const first = torch.rand([3]).tolist();
    torch.manualSeed(5);
    const m = new nn.LazyLinear(4);
    m.resetParameters();
    expect(m.hasUninitializedParams()).toBe(true);
    expect(String(m)).toBe('LazyLinear(in_features=0, out_features=4, bias=True)');
    expect(torch.rand([3]).tolist()).toEqual(first);
  });

  it('RReLU in evaluation uses the mean slope', () => {
    const m = new nn.RReLU(0.1, 0.3);
    m.eval();
    expect(Array.from(m(torch.tensor([-1, 2], { dtype: 'float32' })).dataSync() as Float32Array)).toEqual([Math.fround(-0.2), 2]);
  });
});
