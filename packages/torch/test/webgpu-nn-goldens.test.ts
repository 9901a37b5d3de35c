import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectCloseOnGpu as expectClose, onGpu, type FixtureTensor } from './webgpu-goldens.js';
import { initWebGPU } from './webgpu-setup.js';

// The nn package's PyTorch 1.13 goldens (convolution and pooling, normalization and interpolation, activations,
// losses: tooling/fixtures/gen_nn_*.py) run again with every tensor on the WebGPU device, forward and gradients:
// the layers' WGSL paths (unfoldMatmul, window tables, fused reductions) against real PyTorch, not against the CPU.

const NN_FIXTURES = new URL('../../nn/test/fixtures/', import.meta.url);
const { functional: F } = torch.nn;
const webgpu = await initWebGPU();

type Attrs = Record<string, unknown>;

/** PyTorch's keyword arguments camelCased into the options object ("inf" is math.inf), less `drop`. */
function camel(attrs: Attrs, drop: string[] = []): Attrs {
  const out: Attrs = {};
  for (const [key, value] of Object.entries(attrs)) {
    if (!drop.includes(key)) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value === 'inf' ? Infinity : value;
  }
  return out;
}

function isFixtureTensor(value: unknown): value is FixtureTensor {
  return typeof value === 'object' && value !== null && 'shape' in value && 'data' in value;
}

/** `F.<op>` by PyTorch's name, camelCased; softmax2d is only a module. */
function functional(op: string): (...args: unknown[]) => torch.Tensor {
  if (op === 'softmax2d') return (x) => new torch.nn.Softmax2d()(x as torch.Tensor);
  const fn = (F as unknown as Record<string, (...args: unknown[]) => torch.Tensor>)[op.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())];
  expect(fn, op).toBeTypeOf('function');
  return fn;
}

const TOL = { output: [5e-5, 2e-5], grad: [5e-4, 5e-5] } as const;

describe.runIf(webgpu)('nn goldens on WebGPU against PyTorch 1.13', { timeout: 120_000 }, () => {
  describe('convolution and pooling (nn-conv.json)', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
    const OPS: Record<string, (x: torch.Tensor[], a: Record<string, any>) => torch.Tensor | [torch.Tensor, torch.Tensor]> = {
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
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
    const cases: any[] = loadFixture('nn-conv', NN_FIXTURES).cases;
    it.each(cases.map((c, i) => [`${i} ${c.op} ${JSON.stringify(c.attrs)}`, c] as const))('%s', async (_, c) => {
      const inputs = (c.inputs as FixtureTensor[]).map((t) => onGpu(t, true));
      const result = OPS[c.op](inputs, c.attrs);
      const [out, indices] = Array.isArray(result) ? result : [result, null];
      await expectClose(out, c.output, ...TOL.output, 'output');
      if (c.indices) await expectClose(indices, c.indices, 0, 0, 'indices');
      out.mul(onGpu(c.upstream, false)).sum().backward();
      for (const [i, g] of (c.grads as (FixtureTensor | null)[]).entries()) if (g) await expectClose(inputs[i].grad, g, ...TOL.grad, `grad ${i}`);
    });
  });

  describe('normalization and interpolation (nn-norm.json)', () => {
    type Tensors = Record<string, torch.Tensor | null | undefined>;
    const OPS: Record<string, (t: Tensors, a: Attrs) => torch.Tensor> = {
      batch_norm: (t, a) => F.batchNorm(t.input!, t.running_mean ?? null, t.running_var ?? null, { weight: t.weight ?? null, bias: t.bias ?? null, ...camel(a) }),
      instance_norm: (t, a) =>
        F.instanceNorm(t.input!, { runningMean: t.running_mean ?? null, runningVar: t.running_var ?? null, weight: t.weight ?? null, bias: t.bias ?? null, ...camel(a) }),
      group_norm: (t, a) => F.groupNorm(t.input!, a.num_groups as number, t.weight ?? null, t.bias ?? null, (a.eps as number) ?? 1e-5),
      normalize: (t, a) => F.normalize(t.input!, camel(a)),
      interpolate: (t, a) => F.interpolate(t.input!, camel(a)),
    };
    const RUNNING = ['running_mean', 'running_var'];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
    const cases: any[] = loadFixture('nn-norm', NN_FIXTURES).cases;
    it.each(cases.map((c, i) => [`${i} ${c.op} ${Object.keys(c.tensors).join(',')} ${JSON.stringify(c.attrs)}`, c] as const))('%s', async (_, c) => {
      const tensors: Tensors = {};
      for (const [name, t] of Object.entries(c.tensors as Record<string, FixtureTensor>)) tensors[name] = onGpu(t, !RUNNING.includes(name));
      const out = OPS[c.op](tensors, c.attrs);
      await expectClose(out, c.output, ...TOL.output, 'output');
      out.mul(onGpu(c.upstream, false)).sum().backward();
      for (const [name, g] of Object.entries(c.grads as Record<string, FixtureTensor>)) await expectClose(tensors[name]!.grad, g, ...TOL.grad, `grad ${name}`);
      for (const [name, t] of Object.entries(c.after as Record<string, FixtureTensor>)) await expectClose(tensors[name]!, t, ...TOL.output, `${name} after`);
    });
  });

  describe('scaled dot-product attention (nn-attention.json)', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
    const cases: any[] = loadFixture('nn-attention', NN_FIXTURES).sdpa;
    it.each(cases.map((c, i) => [`${i} ${(c.inputs as FixtureTensor[]).map((t) => `[${t.shape}]`).join(' ')} causal=${c.is_causal} p=${c.dropout_p}`, c] as const))(
      '%s',
      async (_, c) => {
        const [q, k, v] = (c.inputs as FixtureTensor[]).map((t) => onGpu(t, true));
        // Dropout masks come from the host's generator, so a seeded case draws PyTorch's mask on any device.
        if (c.seed !== null) torch.manualSeed(c.seed);
        const mask = c.attn_mask ? onGpu(c.attn_mask, false) : null;
        const out = F.scaledDotProductAttention(q, k, v, mask, c.dropout_p, c.is_causal);
        await expectClose(out, c.output, ...TOL.output, 'output');
        out.mul(onGpu(c.upstream, false)).sum().backward();
        for (const [i, x] of [q, k, v].entries()) await expectClose(x.grad, c.grads[i], ...TOL.grad, `grad ${i}`);
      },
    );
  });

  // Activations and losses: `F.<camelCased op>(...inputs, ...args, options)`, as nn_more_common.py calls them.
  for (const [file, name] of [
    ['nn-activations', 'activations'],
    ['nn-losses', 'losses'],
  ] as const) {
    describe(`${name} (${file}.json)`, () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
      const cases: any[] = loadFixture(file, NN_FIXTURES).cases;
      it.each(cases.map((c, i) => [`${i} ${c.op}(${JSON.stringify(c.args)}, ${JSON.stringify(c.kwargs)})`, c] as const))('%s', async (_, c) => {
        const inputs = (c.inputs as FixtureTensor[]).map((t, i) => onGpu(t, c.diff[i] as boolean));
        const kwargs = camel(c.kwargs);
        for (const [key, value] of Object.entries(kwargs)) if (isFixtureTensor(value)) kwargs[key] = onGpu(value, false);
        const out = functional(c.op)(...inputs, ...c.args, ...(Object.keys(kwargs).length > 0 ? [kwargs] : []));
        await expectClose(out, c.output, ...TOL.output, 'output');
        if (!(c.diff as boolean[]).some(Boolean)) return;
        out.mul(onGpu(c.upstream, false)).sum().backward();
        for (const [i, g] of (c.grads as (FixtureTensor | null)[]).entries()) if (g) await expectClose(inputs[i].grad, g, ...TOL.grad, `grad ${i}`);
      });
    });
  }
});
