// Writes through views on a real GPU adapter (lavapipe in CI), against PyTorch 1.13 (fixtures/autograd-views.json,
// written by fixtures/gen_autograd_views.py). autograd-views.test.ts checks the same programs on the CPU.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import type { Tensor } from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();
const golden = JSON.parse(readFileSync(new URL('./fixtures/autograd-views.json', import.meta.url), 'utf8'));
const gpu = (data: number[] | number[][]) => torch.tensor(data, { dtype: 'float32', device: 'webgpu', requiresGrad: true });
const read = async (t: Tensor | null) => (t === null ? null : t.tolistAsync());

describe.runIf(available)('WebGPU: writes through views', () => {
  it('select then mul_ gives the base CopySlices and PyTorch gradients', async () => {
    const a = gpu([1, 1]);
    const y = a.mul(2);
    const v = y.select(0, 0);
    v.mul_(3);
    expect([y.gradFn?.name(), v.gradFn?.name()]).toEqual([golden.select_mul_.base, golden.select_mul_.view]);
    y.sum().backward();
    expect(await read(a.grad)).toEqual(golden.select_mul_.a_grad);
  });

  it('the masking idiom b[1] = 0 and a column multiplied in place', async () => {
    const b = gpu([1, 2, 3]);
    const c = b.mul(1);
    c.index(1).fill_(0);
    c.sum().backward();
    expect(await read(b.grad)).toEqual(golden.index_fill.b_grad);

    const m0 = gpu([[1, 2, 3], [4, 5, 6]]);
    const col = gpu([2, 3]);
    const m = m0.mul(1);
    m.index(':', 1).mul_(col);
    m.mul(m).sum().backward();
    expect({ m_grad: await read(m0.grad), col_grad: await read(col.grad) }).toEqual(golden.column_mul_);
  });

  it('copy_ into a slice, and double backward through slice and select', async () => {
    const x = gpu([1, 2]);
    const y = x.mul(1);
    y.index('0:1').copy_(x.index('1:').mul(5));
    y.sum().backward();
    expect(await read(x.grad)).toEqual(golden.copy_into_slice.x_grad);

    const x3 = gpu([1, 2, 3]);
    const [g1] = torch.autograd.grad(x3.pow(3).index('1:').sum(), x3, { createGraph: true }) as Tensor[];
    const [g2] = torch.autograd.grad(g1.select(0, 2), x3, { createGraph: true }) as Tensor[];
    expect({ g1: await read(g1), g2: await read(g2), g2_fn: g2.gradFn?.name() }).toEqual(golden.double_backward_views);
  });
});
