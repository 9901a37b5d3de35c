import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectCloseOnGpu as expectClose, onGpu, type FixtureTensor } from './webgpu-goldens.js';
import { initWebGPU } from './webgpu-setup.js';

// The PyTorch 1.13 goldens of the layers and losses added last (tooling/fixtures/gen_nn_more_layers.py: 3-D
// convolution and pooling, max unpooling, LP pooling, local response norm, RReLU, channel shuffle, pdist, the
// multilabel margin and triplet-with-distance losses) run again with every tensor on the WebGPU device, forward
// and gradients. CTC runs on the host (PyTorch's CPU kernel): on the GPU it says so.

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

  it('CTC loss asks for CPU tensors', () => {
    const lp = torch.randn([5, 2, 4]).logSoftmax(2).to('webgpu');
    expect(() => F.ctcLoss(lp, torch.tensor([[1, 2], [1, 1]]), [5, 5], [2, 2])).toThrow("ctc_loss: log_probs on webgpu cannot be read synchronously; the loss runs on the CPU: pass CPU tensors (move them with .to('cpu') first).");
  });
});
