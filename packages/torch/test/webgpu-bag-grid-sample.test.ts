// nn.EmbeddingBag and F.gridSample / F.affineGrid with every tensor on WebGPU, against the PyTorch 1.13 goldens the
// CPU tests use (packages/nn/test/fixtures/gen_embedding_bag.py, gen_grid_sample.py): both are composed from
// gather, matmul, where and masked max, and this checks that their GPU kernels compose to the same values and
// gradients.
import { describe, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { expectCloseOnGpu, onGpu } from './webgpu-goldens.js';
import { initWebGPU } from './webgpu-setup.js';

const NN_FIXTURES = new URL('../../nn/test/fixtures/', import.meta.url);
const F = torch.nn.functional;
const webgpu = await initWebGPU();

describe.runIf(webgpu)('EmbeddingBag and grid sampling on WebGPU match PyTorch', { timeout: 120_000 }, () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  const bag: any = webgpu ? loadFixture('embedding-bag', NN_FIXTURES) : { cases: [] };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- golden files are untyped JSON
  const grid: any = webgpu ? loadFixture('grid-sample', NN_FIXTURES) : { sample: [] };

  it('F.embeddingBag: every mode, offsets and 2-D input, per-sample weights, padding, include_last_offset', async () => {
    for (const c of bag.cases) {
      const weight = onGpu(c.weight, true);
      const psw = c.psw ? onGpu(c.psw, true) : null;
      const out = F.embeddingBag(onGpu(c.input), weight, {
        offsets: c.offsets ? onGpu(c.offsets) : null,
        mode: c.mode,
        perSampleWeights: psw,
        includeLastOffset: c.includeLastOffset,
        paddingIdx: c.paddingIdx,
      });
      await expectCloseOnGpu(out, c.out, 1e-5, 1e-5, `${c.name} out`);
      out.mul(onGpu(c.upstream)).sum().backward();
      await expectCloseOnGpu(weight.grad, c.gradWeight, 1e-5, 1e-5, `${c.name} grad weight`);
      if (psw) await expectCloseOnGpu(psw.grad, c.gradPsw, 1e-5, 1e-5, `${c.name} grad per_sample_weights`);
    }
  });

  it('F.gridSample: bilinear and nearest, every padding mode, both alignments; then the tutorial stn', async () => {
    for (const c of grid.sample) {
      const label = `${c.mode} ${c.paddingMode} ${c.alignCorners}`;
      const input = onGpu(c.input, true);
      const g = onGpu(c.grid, true);
      const out = F.gridSample(input, g, { mode: c.mode, paddingMode: c.paddingMode, alignCorners: c.alignCorners });
      await expectCloseOnGpu(out, c.out, 1e-5, 1e-5, `${label} out`);
      out.mul(onGpu(c.upstream)).sum().backward();
      await expectCloseOnGpu(input.grad, c.gradInput, 1e-5, 1e-5, `${label} grad input`);
      if (c.mode === 'bilinear') await expectCloseOnGpu(g.grad, c.gradGrid, 1e-4, 1e-4, `${label} grad grid`);
    }
    const s = grid.stn;
    const x = onGpu(s.input, true);
    const theta = onGpu(s.theta, true);
    const out = F.gridSample(x, F.affineGrid(theta, x.shape, false), { alignCorners: false });
    await expectCloseOnGpu(out, s.out, 1e-5, 1e-5, 'stn out');
    out.mul(onGpu(s.upstream)).sum().backward();
    await expectCloseOnGpu(x.grad, s.gradInput, 1e-5, 1e-5, 'stn grad input');
    await expectCloseOnGpu(theta.grad, s.gradTheta, 1e-4, 1e-4, 'stn grad theta');
  });
});
