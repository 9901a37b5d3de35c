import { describe, expect, it } from 'vitest';
import { grad as autogradGrad } from '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';
import { functional as F } from '../src/index.js';
import { expectClose, fromFixture, loadFixture, type FixtureTensor } from './fixtures.js';

// Golden values from real PyTorch 1.13: tooling/fixtures/gen_nn_conv.py writes test/fixtures/nn-conv.json.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const golden: any = loadFixture('nn-conv', new URL('./fixtures/', import.meta.url));

interface Case {
  op: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  attrs: Record<string, any>;
  inputs: FixtureTensor[];
  output: FixtureTensor;
  indices?: FixtureTensor;
  upstream: FixtureTensor;
  grads: (FixtureTensor | null)[];
}

/** PyTorch's keyword arguments, camelCased into the trailing options object. */
function camel(attrs: Record<string, unknown>, drop: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (!drop.includes(key)) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return out;
}

/** Each op as a user writes it with an options object; the forward result as [output, indices?]. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
const OPS: Record<string, (x: Tensor[], a: Record<string, any>) => Tensor | [Tensor, Tensor]> = {
  conv1d: ([x, w, b], a) => F.conv1d(x, w, b ?? null, camel(a)),
  conv2d: ([x, w, b], a) => F.conv2d(x, w, b ?? null, camel(a)),
  conv_transpose1d: ([x, w, b], a) => F.convTranspose1d(x, w, b ?? null, camel(a)),
  conv_transpose2d: ([x, w, b], a) => F.convTranspose2d(x, w, b ?? null, camel(a)),
  max_pool1d: ([x], a) => F.maxPool1d(x, a.kernel_size, camel(a, ['kernel_size']) as { returnIndices: true }),
  max_pool2d: ([x], a) => F.maxPool2d(x, a.kernel_size, camel(a, ['kernel_size']) as { returnIndices: true }),
  avg_pool1d: ([x], a) => F.avgPool1d(x, a.kernel_size, camel(a, ['kernel_size'])),
  avg_pool2d: ([x], a) => F.avgPool2d(x, a.kernel_size, camel(a, ['kernel_size'])),
  adaptive_avg_pool1d: ([x], a) => F.adaptiveAvgPool1d(x, a.output_size),
  adaptive_avg_pool2d: ([x], a) => F.adaptiveAvgPool2d(x, a.output_size),
  adaptive_max_pool1d: ([x], a) => F.adaptiveMaxPool1d(x, a.output_size, a.return_indices ?? false),
  adaptive_max_pool2d: ([x], a) => F.adaptiveMaxPool2d(x, a.output_size, a.return_indices ?? false),
};

describe('convolution and pooling against PyTorch 1.13', () => {
  const cases = golden.cases as Case[];

  it.each(cases.map((c, i) => [`${i} ${c.op} ${JSON.stringify(c.attrs)}`, c] as const))('%s: forward and gradients', (_, c) => {
    const inputs = c.inputs.map((t) => fromFixture(t, true));
    const result = OPS[c.op](inputs, c.attrs);
    const [out, indices] = Array.isArray(result) ? result : [result, null];
    expectClose(out, c.output, 1e-5, 1e-5, 'output');
    if (c.indices) {
      expect(indices?.dtype).toBe('int64');
      expect(Array.from(indices!.dataSync(), Number)).toEqual(c.indices.data);
    }
    out.mul(fromFixture(c.upstream)).sum().backward();
    c.grads.forEach((g, i) => {
      if (g) expectClose(inputs[i].grad!, g, 1e-4, 1e-5, `grad ${i}`);
    });
  });

  it.each((golden.errors as { op: string; attrs: Record<string, unknown>; shapes: number[][]; message: string }[]).map((e) => [`${e.op} ${JSON.stringify(e.attrs)}`, e] as const))(
    'raises PyTorch\'s error for %s',
    (_, e) => {
      const inputs = e.shapes.map((s) => torch.randn(s));
      expect(() => OPS[e.op](inputs, e.attrs)).toThrow(e.message);
    },
  );

  it('rejects an option the function does not take, as Python does', () => {
    const x = torch.randn(1, 1, 4, 4);
    expect(() => F.conv2d(x, torch.randn(1, 1, 3, 3), null, { strides: 2 } as never)).toThrow("conv2d() got an unexpected keyword argument 'strides'");
    expect(() => F.maxPool2d(x, 2, { ceil_mode: true } as never)).toThrow("max_pool2d() got an unexpected keyword argument 'ceil_mode'");
    expect(() => new nn.Conv2d(1, 2, 3, { kernelSize: 3 } as never)).toThrow("Conv2d.__init__() got multiple values for argument 'kernel_size'");
  });

  it('takes positional arguments in PyTorch\'s order', () => {
    const x = torch.randn(2, 3, 8, 8);
    const w = torch.randn(4, 3, 3, 3);
    expect(F.conv2d(x, w, null, 2, 1).shape).toEqual(F.conv2d(x, w, null, { stride: 2, padding: 1 }).shape);
    expect(F.conv2d(x, w, null, 2, 1).tolist()).toEqual(F.conv2d(x, w, null, { stride: 2, padding: 1 }).tolist());
    expect(F.maxPool2d(x, 3, 2, 1).tolist()).toEqual(F.maxPool2d(x, 3, { stride: 2, padding: 1 }).tolist());
    expect(F.avgPool2d(x, 3, 2, 1, false, false).tolist()).toEqual(F.avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }).tolist());
    const layer = new nn.Conv2d(3, 4, 3, 2, 1);
    expect(layer.stride).toEqual([2, 2]);
    expect(layer.padding).toEqual([1, 1]);
  });
});

describe('convolution and pooling modules', () => {
  const build: Record<string, () => nn.Module> = {
    conv2d: () => new nn.Conv2d(1, 6, 5),
    conv2d_padded: () => new nn.Conv2d(1, 6, 5, { padding: 2 }),
    conv2d_valid_nobias: () => new nn.Conv2d(3, 6, [3, 5], { stride: 2, padding: 'valid', bias: false }),
    conv2d_same_groups: () => new nn.Conv2d(4, 4, 3, { padding: 'same', dilation: 2, groups: 2 }),
    conv1d: () => new nn.Conv1d(3, 5, 3),
    conv_transpose2d: () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, outputPadding: 1 }),
    conv_transpose1d: () => new nn.ConvTranspose1d(3, 2, 3),
    max_pool2d: () => new nn.MaxPool2d(2),
    max_pool2d_full: () => new nn.MaxPool2d(3, { stride: 2, padding: 1, returnIndices: true, ceilMode: true }),
    max_pool1d: () => new nn.MaxPool1d(2),
    avg_pool2d: () => new nn.AvgPool2d(2),
    avg_pool1d: () => new nn.AvgPool1d(2),
    adaptive_avg_pool2d: () => new nn.AdaptiveAvgPool2d([5, 5]),
    adaptive_avg_pool2d_none: () => new nn.AdaptiveAvgPool2d([null, 3]),
    adaptive_max_pool2d: () => new nn.AdaptiveMaxPool2d(2),
    lenet: () => lenet(),
  };

  it.each((golden.reprs as { name: string; repr: string }[]).map((r) => [r.name, r] as const))('prints %s as PyTorch does', (name, r) => {
    expect(String(build[name]())).toBe(r.repr);
  });

  it.each((golden.init as { name: string; seed: number; weight: FixtureTensor; bias: FixtureTensor }[]).map((r) => [r.name, r] as const))(
    'initializes %s from the seeded stream as PyTorch\'s reset_parameters does',
    (name, r) => {
      const make: Record<string, () => nn.Conv2d | nn.Conv1d | nn.ConvTranspose2d> = {
        conv2d: () => new nn.Conv2d(2, 3, 3),
        conv2d_groups: () => new nn.Conv2d(4, 6, [2, 3], { groups: 2 }),
        conv1d: () => new nn.Conv1d(3, 2, 4),
        conv_transpose2d: () => new nn.ConvTranspose2d(4, 6, 3, { groups: 2 }),
      };
      torch.manualSeed(r.seed);
      const m = make[name]();
      expectClose(m.weight, r.weight, 0, 0, 'weight');
      expectClose(m.bias!, r.bias, 0, 0, 'bias');
      expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias']);
    },
  );

  it('trains LeNet-5 to PyTorch\'s losses and weights', () => {
    const l = golden.lenet;
    torch.manualSeed(l.seed);
    const model = lenet();
    const x = fromFixture(l.input);
    const y = fromFixture(l.target);
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      model.zeroGrad();
      const loss = F.crossEntropy(model(x), y);
      loss.backward();
      // SGD(lr=0.01)'s step, as optim.SGD takes it (nn sits below optim).
      torch.noGrad(() => [...model.parameters()].forEach((p) => p.add_(p.grad!, { alpha: -0.01 })));
      losses.push(loss.item());
    }
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(l.losses[i], 5));
    expectClose((model.at(0) as nn.Conv2d).weight, l.conv1_weight_after, 1e-4, 1e-6, 'conv1 weight');
    expectClose((model.at(11) as nn.Linear).bias!, l.fc3_bias_after, 1e-4, 1e-6, 'fc3 bias');
  });
});

describe('convolution second derivatives', () => {
  it('takes a gradient penalty through a padded, grouped convolution as PyTorch does (ConvolutionBackward0)', () => {
    const d = golden.double_backward;
    torch.manualSeed(d.seed);
    const conv = new nn.Conv2d(4, 6, 3, { padding: 1, groups: 2 });
    const x = fromFixture(d.input, true);
    const y = conv.forward(x);
    expect(y.gradFn?.name()).toBe(d.grad_fn);
    const gx = autogradGrad(y.pow(2).sum(), [x], { createGraph: true })[0]!;
    expectClose(gx, d.gx, 1e-4, 1e-5, 'first gradient');
    gx.pow(2).sum().backward();
    expectClose(x.grad!, d.x_grad, 1e-4, 1e-4, 'x grad');
    expectClose(conv.weight.grad!, d.weight_grad, 1e-4, 1e-4, 'weight grad');
    expectClose(conv.bias!.grad!, d.bias_grad, 1e-4, 1e-4, 'bias grad');
  });
});

function lenet(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5, { padding: 2 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(6, 16, 5),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(400, 120),
    new nn.ReLU(),
    new nn.Linear(120, 84),
    new nn.ReLU(),
    new nn.Linear(84, 10),
  );
}
