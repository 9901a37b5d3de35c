import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, expectExact, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_norm.py writes test/fixtures/nn-norm.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-norm', new URL('./fixtures/', import.meta.url));

type Attrs = Record<string, unknown>;
type Tensors = Record<string, Tensor | null | undefined>;

/** PyTorch's keyword arguments, camelCased into the trailing options object ("inf" is math.inf). */
function camel(attrs: Attrs, drop: string[] = []): Attrs {
  const out: Attrs = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (!drop.includes(key)) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value === 'inf' ? Infinity : value;
  }
  return out;
}

const RUNNING = ['running_mean', 'running_var'];

/** Each functional op as a user writes it, with keyword arguments in the options object. */
const OPS: Record<string, (t: Tensors, a: Attrs) => Tensor> = {
  batch_norm: (t, a) => F.batchNorm(t.input!, t.running_mean ?? null, t.running_var ?? null, { weight: t.weight ?? null, bias: t.bias ?? null, ...camel(a) }),
  instance_norm: (t, a) =>
    F.instanceNorm(t.input!, { runningMean: t.running_mean ?? null, runningVar: t.running_var ?? null, weight: t.weight ?? null, bias: t.bias ?? null, ...camel(a) }),
  group_norm: (t, a) => F.groupNorm(t.input!, a.num_groups as number, t.weight ?? null, t.bias ?? null, (a.eps as number) ?? 1e-5),
  normalize: (t, a) => F.normalize(t.input!, camel(a)),
  interpolate: (t, a) => F.interpolate(t.input!, camel(a)),
  dropout1d: (t, a) => F.dropout1d(t.input!, camel(a)),
  dropout2d: (t, a) => F.dropout2d(t.input!, camel(a)),
};

interface Case {
  op: string;
  tensors: Record<string, FixtureTensor>;
  attrs: Attrs;
  output: FixtureTensor;
  upstream: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  after: Record<string, FixtureTensor>;
}

describe('normalization and interpolation functions against PyTorch 1.13', () => {
  const cases = golden.cases as Case[];

  it.each(cases.map((c, i) => [`${i} ${c.op} ${Object.keys(c.tensors).join(',')} ${JSON.stringify(c.attrs)}`, c] as const))('%s', (_, c) => {
    const tensors: Tensors = {};
    for (const [name, t] of Object.entries(c.tensors)) tensors[name] = fromFixture(t, !RUNNING.includes(name));
    const out = OPS[c.op](tensors, c.attrs);
    expectClose(out, c.output, 1e-5, 1e-5, 'output');
    out.mul(fromFixture(c.upstream)).sum().backward();
    for (const [name, g] of Object.entries(c.grads)) expectClose(tensors[name]!.grad!, g, 1e-4, 1e-5, `grad ${name}`);
    for (const [name, t] of Object.entries(c.after)) expectClose(tensors[name]!, t, 1e-5, 1e-6, `${name} after`);
  });

  it.each((golden.errors as { op: string; tensors: Record<string, number[] | null>; attrs: Attrs; message: string }[]).map((e) => [`${e.op} ${JSON.stringify(e.attrs)}`, e] as const))(
    "raises PyTorch's error for %s",
    (_, e) => {
      const tensors: Tensors = {};
      for (const [name, shape] of Object.entries(e.tensors)) tensors[name] = shape === null ? null : name === 'running_var' ? torch.rand(shape).add(0.5) : torch.randn(shape);
      expect(() => OPS[e.op](tensors, e.attrs)).toThrow(e.message);
    },
  );

  it("takes PyTorch's positional order too", () => {
    const x = torch.randn(2, 3, 4, 5);
    const [w, b] = [torch.randn(3), torch.randn(3)];
    const options = F.batchNorm(x, torch.zeros(3), torch.ones(3), { weight: w, bias: b, training: true, momentum: 0.2, eps: 1e-3 });
    expect(F.batchNorm(x, torch.zeros(3), torch.ones(3), w, b, true, 0.2, 1e-3).tolist()).toEqual(options.tolist());
    expect(F.batchNorm(x, torch.zeros(3), torch.ones(3), w, b, { training: true, momentum: 0.2, eps: 1e-3 }).tolist()).toEqual(options.tolist());
    expect(F.instanceNorm(x, null, null, w, b).tolist()).toEqual(F.instanceNorm(x, { weight: w, bias: b }).tolist());
    expect(F.normalize(x, 1, 0).tolist()).toEqual(F.normalize(x, { p: 1, dim: 0 }).tolist());
    expect(F.interpolate(x, null, 2, 'bilinear', true).tolist()).toEqual(F.interpolate(x, { scaleFactor: 2, mode: 'bilinear', alignCorners: true }).tolist());
    expect(F.interpolate(x, [3, 7], { mode: 'bilinear' }).shape).toEqual([2, 3, 3, 7]);
  });

  it('rejects an argument the function does not take, or one given twice, as Python does', () => {
    const x = torch.randn(1, 2, 4, 4);
    expect(() => F.interpolate(x, { scale_factor: 2 } as never)).toThrow("interpolate() got an unexpected keyword argument 'scale_factor'");
    expect(() => F.interpolate(x, 2, { size: 3 })).toThrow("interpolate() got multiple values for argument 'size'");
    expect(() => F.normalize(x, { axis: 1 } as never)).toThrow("normalize() got an unexpected keyword argument 'axis'");
    expect(() => F.instanceNorm(x, { useRunningStats: true } as never)).toThrow("instance_norm() got an unexpected keyword argument 'useRunningStats'");
    expect(() => F.dropout2d(x, { prob: 0.1 } as never)).toThrow("dropout2d() got an unexpected keyword argument 'prob'");
    expect(() => F.leakyRelu(x, 0.2, { inPlace: true } as never)).toThrow("leaky_relu() got an unexpected keyword argument 'inPlace'");
    expect(() => new nn.BatchNorm2d(3, { momentun: 0.1 } as never)).toThrow("BatchNorm2d.__init__() got an unexpected keyword argument 'momentun'");
    expect(() => new nn.InstanceNorm2d(3, { elementwiseAffine: true } as never)).toThrow("InstanceNorm2d.__init__() got an unexpected keyword argument 'elementwiseAffine'");
    expect(() => new nn.GroupNorm(2, 4, { affin: false } as never)).toThrow("GroupNorm.__init__() got an unexpected keyword argument 'affin'");
    expect(() => new nn.Upsample({ scale: 2 } as never)).toThrow("Upsample() got an unexpected keyword argument 'scale'");
    expect(() => new nn.Dropout2d({ prob: 0.1 } as never)).toThrow("Dropout2d() got an unexpected keyword argument 'prob'");
    expect(() => new nn.LeakyReLU(0.2, { inPlace: true } as never)).toThrow("LeakyReLU() got an unexpected keyword argument 'inPlace'");
    expect(() => new nn.ReLU({ inPlace: true } as never)).toThrow("ReLU() got an unexpected keyword argument 'inPlace'");
  });
});

/** Every module the fixtures name, as the generator builds it. */
const BUILD: Record<string, () => nn.Module> = {
  bn2d: () => new nn.BatchNorm2d(3),
  bn2d_cumulative: () => new nn.BatchNorm2d(3, { momentum: null }),
  bn2d_no_affine: () => new nn.BatchNorm2d(2, { eps: 1e-3, momentum: 0.3, affine: false }),
  bn2d_no_stats: () => new nn.BatchNorm2d(3, { trackRunningStats: false }),
  bn2d_custom: () => new nn.BatchNorm2d(4, { eps: 1e-3, momentum: null, affine: false, trackRunningStats: false }),
  bn1d: () => new nn.BatchNorm1d(4),
  bn1d_positional: () => new nn.BatchNorm1d(4, 1e-3, 0.01, false),
  bn3d: () => new nn.BatchNorm3d(2),
  bn3d_positional: () => new nn.BatchNorm3d(5, 1e-4, 0.2),
  in1d: () => new nn.InstanceNorm1d(3),
  in2d: () => new nn.InstanceNorm2d(4, { affine: true, trackRunningStats: true }),
  in3d: () => new nn.InstanceNorm3d(2, { eps: 1e-3 }),
  in2d_affine: () => new nn.InstanceNorm2d(3, { affine: true }),
  in2d_tracked: () => new nn.InstanceNorm2d(2, { momentum: 0.2, trackRunningStats: true }),
  in1d_tracked_affine: () => new nn.InstanceNorm1d(3, { affine: true, trackRunningStats: true }),
  gn: () => new nn.GroupNorm(2, 6),
  gn_custom: () => new nn.GroupNorm(3, 6, 1e-3, false),
  gn_no_affine: () => new nn.GroupNorm(3, 3, { eps: 1e-3, affine: false }),
  dropout1d: () => new nn.Dropout1d(),
  dropout2d: () => new nn.Dropout2d(0.2),
  dropout2d_inplace: () => new nn.Dropout2d(0.3, { inplace: true }),
  dropout3d: () => new nn.Dropout3d({ p: 0.1 }),
  upsample_nearest: () => new nn.Upsample({ scaleFactor: 2 }),
  upsample_scale: () => new nn.Upsample({ scaleFactor: 2 }),
  upsample_bilinear: () => new nn.Upsample({ size: [5, 7], mode: 'bilinear' }),
  upsample_size: () => new nn.Upsample({ size: [4, 5], mode: 'bilinear' }),
  upsample_size_int: () => new nn.Upsample(8, { mode: 'linear', alignCorners: true }),
  upsample_scale_tuple: () => new nn.Upsample(null, [2, 1.5], 'nearest'),
  upsample_bilinear_ac: () => new nn.Upsample({ scaleFactor: [1.5, 2.5], mode: 'bilinear', alignCorners: true }),
  upsampling_nearest2d: () => new nn.UpsamplingNearest2d({ size: [5, 3] }),
  upsampling_bilinear2d: () => new nn.UpsamplingBilinear2d(null, 2),
  upsampling_nearest2d_scale: () => new nn.UpsamplingNearest2d({ scaleFactor: 3 }),
  upsampling_bilinear2d_size: () => new nn.UpsamplingBilinear2d([6, 6]),
  leaky_relu_inplace: () => new nn.LeakyReLU(0.2, { inplace: true }),
  relu_inplace: () => new nn.ReLU({ inplace: true }),
  generator: () =>
    new nn.Sequential(
      new nn.ConvTranspose2d(8, 4, 4, { stride: 2, padding: 1, bias: false }),
      new nn.BatchNorm2d(4),
      new nn.ReLU(true),
      new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' }),
      new nn.Conv2d(4, 3, 3, { padding: 1 }),
      new nn.GroupNorm(1, 3),
      new nn.Dropout2d(0.1),
      new nn.InstanceNorm2d(3),
      new nn.Tanh(),
    ),
};

/** The state the generator loaded (int64 buffers included). */
function stateOf(state: Record<string, FixtureTensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, fromFixture(v)]));
}

interface Step {
  mode: 'train' | 'eval';
  input: FixtureTensor;
  upstream: FixtureTensor;
  output: FixtureTensor;
  grads: Record<string, FixtureTensor>;
  buffers: Record<string, FixtureTensor>;
}

describe('normalization and upsampling modules against PyTorch 1.13', () => {
  it.each((golden.modules as { name: string; state: Record<string, FixtureTensor>; steps: Step[] }[]).map((m) => [m.name, m] as const))(
    '%s: outputs, gradients and running statistics over train and eval steps',
    (name, m) => {
      const module = BUILD[name]();
      module.loadStateDict(stateOf(m.state));
      m.steps.forEach((step, i) => {
        const label = `step ${i} (${step.mode})`;
        if (step.mode === 'train') module.train();
        else module.eval();
        module.zeroGrad();
        const x = fromFixture(step.input, true);
        const out = module(x) as Tensor;
        expectClose(out, step.output, 1e-5, 1e-5, `${label} output`);
        out.mul(fromFixture(step.upstream)).sum().backward();
        const params = Object.fromEntries(module.namedParameters());
        for (const [key, g] of Object.entries(step.grads)) expectClose(key === 'input' ? x.grad! : params[key].grad!, g, 1e-4, 1e-5, `${label} grad ${key}`);
        const buffers = Object.fromEntries(module.namedBuffers());
        expect(Object.keys(buffers)).toEqual(Object.keys(step.buffers));
        for (const [key, b] of Object.entries(step.buffers)) expectClose(buffers[key], b, 1e-5, 1e-6, `${label} ${key}`);
      });
    },
  );

  it.each((golden.reprs as { name: string; repr: string; keys: string[] }[]).map((r) => [r.name, r] as const))('prints %s and names its state as PyTorch does', (name, r) => {
    const module = BUILD[name]();
    expect(String(module)).toBe(r.repr);
    expect(Object.keys(module.stateDict())).toEqual(r.keys);
  });

  const MODULE_ERRORS: Record<string, () => nn.Module> = {
    bn2d_on_3d: () => new nn.BatchNorm2d(3),
    bn1d_on_4d: () => new nn.BatchNorm1d(3),
    bn3d_on_4d: () => new nn.BatchNorm3d(3),
    bn2d_one_value: () => new nn.BatchNorm2d(3),
    in2d_on_2d: () => new nn.InstanceNorm2d(3),
    in1d_affine_channels: () => new nn.InstanceNorm1d(4, { affine: true }),
    in1d_tracked_eval_channels: () => new nn.InstanceNorm1d(4, { trackRunningStats: true }).eval(),
    gn_indivisible: () => new nn.GroupNorm(4, 6),
    dropout2d_p: () => new nn.Dropout2d(1.5),
    dropout1d_on_4d: () => new nn.Dropout1d(),
    upsample_nothing: () => new nn.Upsample(),
  };

  it.each((golden.module_errors as { name: string; input_shape: number[] | null; message: string }[]).map((e) => [e.name, e] as const))(
    "raises PyTorch's error for %s",
    (name, e) => {
      expect(() => {
        const module = MODULE_ERRORS[name]();
        if (e.input_shape) module(torch.randn(e.input_shape));
      }).toThrow(e.message);
    },
  );

  it('loads a batch-norm checkpoint written before num_batches_tracked existed, with a count of 0', () => {
    const source = new nn.BatchNorm2d(2);
    const { num_batches_tracked: _dropped, ...old } = source.stateDict();
    const target = new nn.BatchNorm2d(2);
    target.numBatchesTracked!.fill_(5);
    target.loadStateDict(old);
    expect(target.numBatchesTracked!.item()).toBe(0);
  });
});

describe('channel dropout draws PyTorch\'s masks from the seeded generator', () => {
  const dropoutFns: Record<string, (x: Tensor, p: number) => Tensor> = {
    dropout1d: (x, p) => F.dropout1d(x, p, true),
    dropout2d: (x, p) => F.dropout2d(x, p, true),
    dropout3d: (x, p) => F.dropout3d(x, { p, training: true }),
  };
  interface DropoutCase {
    name: string;
    fn: string;
    seed: number;
    p: number;
    input: FixtureTensor;
    upstream: FixtureTensor;
    calls: { output: FixtureTensor; grad: FixtureTensor }[];
  }

  it.each((golden.dropout as DropoutCase[]).map((c) => [`${c.fn} ${c.name}`, c] as const))('%s', (_, c) => {
    torch.manualSeed(c.seed);
    for (const call of c.calls) {
      const x = fromFixture(c.input, true);
      const y = dropoutFns[c.fn](x, c.p);
      expectExact(y, call.output, 'output');
      y.mul(fromFixture(c.upstream)).sum().backward();
      expectExact(x.grad!, call.grad, 'grad');
    }
  });

  it('draws the same masks through the modules, and passes input through in eval mode', () => {
    const c = (golden.dropout as DropoutCase[]).find((k) => k.name === '2d')!;
    const layer = new nn.Dropout2d(c.p);
    torch.manualSeed(c.seed);
    for (const call of c.calls) expectExact(layer(fromFixture(c.input)) as Tensor, call.output, 'module output');
    const x = fromFixture(c.input);
    expect(layer.eval()(x)).toBe(x);
    const generator = new torch.Generator(c.seed);
    expectExact(F.dropout2d(fromFixture(c.input), { p: c.p, generator }), c.calls[0].output, 'own generator');
  });

  it('writes through the input with inplace', () => {
    const c = (golden.dropout as DropoutCase[]).find((k) => k.name === '1d')!;
    torch.manualSeed(c.seed);
    const x = fromFixture(c.input);
    const y = new nn.Dropout1d(c.p, { inplace: true })(x) as Tensor;
    expect(y).toBe(x);
    expectExact(x, c.calls[0].output, 'in place');
  });
});

describe('inplace activations backpropagate as in PyTorch', () => {
  const NETWORKS: Record<string, () => nn.Module> = {
    gan_discriminator: () => new nn.Sequential(new nn.Linear(4, 8), new nn.LeakyReLU(0.2, { inplace: true }), new nn.Linear(8, 1)),
    relu_inplace: () => new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU({ inplace: true }), new nn.Linear(8, 1)),
    silu_inplace: () => new nn.Sequential(new nn.Linear(4, 8), new nn.SiLU(true), new nn.Linear(8, 1)),
    conv_bn_leaky: () =>
      new nn.Sequential(new nn.Conv2d(2, 3, 3), new nn.BatchNorm2d(3), new nn.LeakyReLU(0.2, true), new nn.Flatten(), new nn.Linear(12, 1)),
  };

  it.each((golden.inplace as { name: string; input: FixtureTensor; state: Record<string, FixtureTensor>; output: FixtureTensor; grads: Record<string, FixtureTensor> }[]).map((n) => [n.name, n] as const))(
    '%s: forward and parameter gradients',
    (name, n) => {
      const model = NETWORKS[name]();
      model.loadStateDict(stateOf(n.state));
      const y = model(fromFixture(n.input)) as Tensor;
      expectClose(y, n.output, 1e-5, 1e-5, 'output');
      y.sum().backward();
      const params = Object.fromEntries(model.namedParameters());
      for (const [key, g] of Object.entries(n.grads)) expectClose(params[key].grad!, g, 1e-4, 1e-5, `grad ${key}`);
    },
  );

  it('writes into the input tensor and keeps what backward needs', () => {
    const x = torch.randn(3, 4).requiresGrad_(true);
    const h = x.mul(2);
    const y = F.leakyRelu(h, 0.2, { inplace: true });
    expect(y).toBe(h);
    y.sum().backward();
    const expected = x.detach().gt(0).to('float32').mul(0.8).add(0.2).mul(2);
    expect(x.grad!.tolist()).toEqual(expected.tolist());
  });

  it('trains a GAN step: the discriminator on detached fakes, then the generator through it', () => {
    torch.manualSeed(0);
    const G = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(true), new nn.Linear(8, 4), new nn.Tanh());
    const D = new nn.Sequential(new nn.Linear(4, 8), new nn.LeakyReLU(0.2, { inplace: true }), new nn.Linear(8, 1), new nn.Sigmoid());
    const fake = G(torch.randn(5, 2)) as Tensor;
    F.binaryCrossEntropy(D(fake.detach()) as Tensor, torch.zeros(5, 1)).backward();
    F.binaryCrossEntropy(D(fake) as Tensor, torch.ones(5, 1)).backward();
    for (const p of [...G.parameters(), ...D.parameters()]) expect(Array.from(p.grad!.dataSync() as Float32Array).every(Number.isFinite)).toBe(true);
  });
});
