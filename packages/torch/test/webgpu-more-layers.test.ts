import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectCloseOnGpu as expectClose, onGpu, type FixtureTensor } from './webgpu-goldens.js';
import { initWebGPU } from './webgpu-setup.js';

// The PyTorch 1.13 goldens of the layers and losses added last (tooling/fixtures/gen_nn_more_layers.py: 3-D
// convolution and pooling, max unpooling, LP pooling, local response norm, RReLU, channel shuffle, pdist, the
// multilabel margin and triplet-with-distance losses) run again with every tensor on the WebGPU device, forward
// and gradients, the CTC loss included (its tensor-op form off the host).

const NN_FIXTURES = new URL('../../nn/test/fixtures/', import.meta.url);
const { functional: F } = torch.nn;
const webgpu = await initWebGPU();
const TOL = { output: [5e-5, 2e-5], grad: [5e-4, 5e-5] } as const;

/** PyTorch's keyword arguments camelCased into the options object. */
function camel(kwargs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
}

/** `F.<op>` by PyTorch's name, camelCased. */
function functional(op: string): (...args: unknown[]) => torch.Tensor {
  const fn = (F as unknown as Record<string, (...args: unknown[]) => torch.Tensor>)[op.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())];
  expect(fn, op).toBeTypeOf('function');
  return fn;
}

describe.runIf(webgpu)('the last nn layers and losses on WebGPU against PyTorch 1.13 (nn-more-layers.json)', { timeout: 120_000 }, () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  const golden: any = loadFixture('nn-more-layers', NN_FIXTURES);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  const cases: any[] = golden.cases;

  it.each(cases.map((c, i) => [`${i} ${c.op}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)})`, c] as const))('%s', async (_, c) => {
    const inputs = (c.inputs as FixtureTensor[]).map((t, i) => onGpu(t, c.diff[i] as boolean));
    const kwargs = camel(c.kwargs);
    const out = functional(c.op)(...inputs, ...c.args, ...(Object.keys(kwargs).length > 0 ? [kwargs] : []));
    await expectClose(out, c.output, ...TOL.output, 'output');
    if (!(c.diff as boolean[]).some(Boolean)) return;
    out.mul(onGpu(c.upstream, false)).sum().backward();
    for (const [i, g] of (c.grads as (FixtureTensor | null)[]).entries()) if (g) await expectClose(inputs[i].grad, g, ...TOL.grad, `grad ${i}`);
  });

  it.each((golden.indices as { op: string; args: unknown[]; kwargs: Record<string, unknown>; input: FixtureTensor; output: FixtureTensor; indices: FixtureTensor }[]).map((c, i) => [`${i} ${c.op} indices`, c] as const))(
    '%s',
    async (_, c) => {
      const extra = Object.keys(c.kwargs).length > 0 ? [camel(c.kwargs)] : [];
      const [out, indices] = functional(c.op)(onGpu(c.input), ...c.args, ...extra) as unknown as [torch.Tensor, torch.Tensor];
      await expectClose(out, c.output, 0, 0, 'output');
      await expectClose(indices, c.indices, 0, 0, 'indices');
    },
  );

  // The masks come from the host's generator, so a seed gives PyTorch's draws on any device (RReLU's draws depend on
  // the input's signs, which it reads: it runs on the CPU).
  const draws: Record<string, (x: torch.Tensor) => torch.Tensor> = {
    alpha_dropout: (x) => F.alphaDropout(x, 0.3, true),
    alpha_dropout_module: (x) => new torch.nn.AlphaDropout(0.2)(x),
    feature_alpha_dropout: (x) => F.featureAlphaDropout(x, 0.4, true),
    feature_alpha_dropout_module: (x) => new torch.nn.FeatureAlphaDropout(0.5)(x),
  };
  type Draw = { name: string; seed: number; input: FixtureTensor; upstream: FixtureTensor; output: FixtureTensor; grad: FixtureTensor };
  it.each((golden.random as Draw[]).filter((d) => d.name in draws).map((d) => [d.name, d] as const))('%s draws PyTorch\'s mask', async (name, d) => {
    const x = onGpu(d.input, true);
    torch.manualSeed(d.seed);
    const y = draws[name](x);
    await expectClose(y, d.output, ...TOL.output, 'output');
    y.mul(onGpu(d.upstream)).sum().backward();
    await expectClose(x.grad, d.grad, ...TOL.grad, 'grad');
  });

  // CTC off the host: the same recursions as tensor ops (lengths stay host arrays or CPU tensors, as PyTorch's).
  type Ctc = {
    log_probs: FixtureTensor;
    targets: FixtureTensor;
    input_lengths: FixtureTensor | number[];
    target_lengths: FixtureTensor | number[];
    kwargs: { blank?: number; reduction?: 'none' | 'mean' | 'sum'; zero_infinity?: boolean };
    output: FixtureTensor;
    upstream: FixtureTensor;
    grad: FixtureTensor;
  };
  const hostLengths = (v: FixtureTensor | number[]) => (Array.isArray(v) ? v : torch.tensor(v.data, { dtype: 'int64' }));
  it.each((golden.ctc as Ctc[]).filter((c) => c.log_probs.dtype === 'float32').map((c, i) => [`${i} ctc_loss ${JSON.stringify(c.kwargs)} [${c.log_probs.shape}]`, c] as const))(
    '%s',
    async (_, c) => {
      const logProbs = onGpu(c.log_probs, true);
      const { blank, reduction, zero_infinity: zeroInfinity } = c.kwargs;
      const out = F.ctcLoss(logProbs, onGpu(c.targets), hostLengths(c.input_lengths), hostLengths(c.target_lengths), { blank, reduction, zeroInfinity });
      expect(out.gradFn?.name()).toBe(reduction === 'mean' ? 'MeanBackward0' : reduction === 'sum' ? 'SumBackward0' : logProbs.ndim === 2 ? 'SqueezeBackward1' : 'CtcLossBackward0');
      await expectClose(out, c.output, ...TOL.output, 'output');
      out.mul(onGpu(c.upstream)).sum().backward();
      await expectClose(logProbs.grad, c.grad, ...TOL.grad, 'grad');
    },
  );

  it('CTC loss asks for the lengths on the host', () => {
    const lp = torch.randn([5, 2, 4]).logSoftmax(2).to('webgpu');
    const lengths = torch.tensor([5, 5]).to('webgpu');
    expect(() => F.ctcLoss(lp, torch.tensor([[1, 2], [1, 1]]), lengths, [2, 2])).toThrow(
      'ctc_loss: input_lengths on webgpu cannot be read synchronously: give the lengths as arrays or CPU tensors.',
    );
  });
});
