// F.unfold / F.fold, torch.cdist, torch.clampMin / clampMax and F.gumbelSoftmax with every tensor on WebGPU, against
// the PyTorch 1.13 goldens of the CPU tests (packages/nn/test/fixtures/gen_fold.py,
// packages/torch/test/fixtures/gen_small_names.py): composed ops, so this checks their GPU kernels compose alike.
import { describe, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectCloseOnGpu, onGpu } from './webgpu-goldens.js';
import { initWebGPU } from './webgpu-setup.js';

const F = torch.nn.functional;
const webgpu = await initWebGPU();

describe.runIf(webgpu)('sliding blocks, distances and Gumbel-softmax on WebGPU match PyTorch', { timeout: 120_000 }, () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  const fold: any = webgpu ? loadFixture('fold', new URL('../../nn/test/fixtures/', import.meta.url)) : {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  const small: any = webgpu ? loadFixture('small-names', new URL('./fixtures/', import.meta.url)) : {};

  it('F.unfold and F.fold, forward and gradient', async () => {
    for (const [kind, cases] of [['unfold', fold.unfold], ['fold', fold.fold]] as const) {
      for (const c of cases) {
        const { kernel_size: k, dilation, padding, stride } = c.kwargs;
        const x = onGpu(c.input, true);
        const out = kind === 'unfold' ? F.unfold(x, k, { dilation, padding, stride }) : F.fold(x, c.outputSize, k, { dilation, padding, stride });
        const label = `${kind} ${JSON.stringify(c.kwargs)} [${c.input.shape}]`;
        await expectCloseOnGpu(out, c.out, 1e-6, 1e-6, label);
        out.mul(onGpu(c.upstream)).sum().backward();
        await expectCloseOnGpu(x.grad, c.gradInput, 1e-5, 1e-5, `${label} grad`);
      }
    }
  });

  it('torch.cdist (direct and matmul forms) and torch.clampMin / clampMax', async () => {
    // p = 2, 1 and inf directly, and p = 2 in the matmul form (30 rows): the kernels the other orders share.
    for (const c of [0, 1, 2, 8].map((i) => small.cdist[i])) {
      const x1 = onGpu(c.x1, true);
      const x2 = onGpu(c.x2, true);
      const p = c.p === 'inf' ? Infinity : c.p;
      const out = c.computeMode ? torch.cdist(x1, x2, p, c.computeMode) : torch.cdist(x1, x2, p);
      const label = `cdist p=${c.p} ${c.computeMode ?? ''} [${c.x1.shape}]`;
      await expectCloseOnGpu(out, c.out, 1e-5, 1e-5, label);
      out.mul(onGpu(c.upstream)).sum().backward();
      await expectCloseOnGpu(x1.grad, c.gradX1, 1e-4, 1e-4, `${label} grad x1`);
      await expectCloseOnGpu(x2.grad, c.gradX2, 1e-4, 1e-4, `${label} grad x2`);
    }
    const [min, , , , minTensor] = small.clamps;
    const x = onGpu(min.x);
    await expectCloseOnGpu(torch.clampMin(x, 0.1), min.out, 0, 0, 'clampMin');
    await expectCloseOnGpu(torch.clampMin(onGpu(minTensor.x), torch.tensor([0.0, 0.5, -0.5, 1.0]).to('webgpu')), minTensor.out, 0, 0, 'clampMin tensor');
  });

  it('F.gumbelSoftmax draws PyTorch’s sample for a seed on the GPU too', async () => {
    for (const c of small.gumbel) {
      torch.manualSeed(c.seed);
      const logits = torch.randn(3, 5).to('webgpu').requiresGrad_();
      const out = F.gumbelSoftmax(logits, { tau: c.tau, hard: c.hard, dim: c.dim });
      await expectCloseOnGpu(out, c.out, 1e-5, 1e-5, `gumbel tau=${c.tau} hard=${c.hard}`);
      out.mul(torch.randn(out.shape).to('webgpu')).sum().backward();
      await expectCloseOnGpu(logits.grad, c.gradLogits, 1e-5, 1e-5, `gumbel tau=${c.tau} hard=${c.hard} grad`);
    }
  });
});
