// PyTorch's `Tensor.is_leaf` documentation example, line by line, with 'webgpu' for 'cuda'.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

describe.runIf(available)("PyTorch's is_leaf example on WebGPU", () => {
  it('marks the tensors the docs mark', () => {
    const a = torch.rand(10, { requiresGrad: true });
    expect(a.isLeaf).toBe(true);
    // b was created by the operation that cast a cpu Tensor into a GPU tensor
    const b = torch.rand(10, { requiresGrad: true }).to('webgpu');
    expect([b.isLeaf, b.gradFn?.name()]).toEqual([false, 'ToCopyBackward0']);
    // c was created by the addition operation
    const c = torch.rand(10, { requiresGrad: true }).add(2);
    expect(c.isLeaf).toBe(false);
    // d does not require gradients and so has no operation creating it (that is tracked by the autograd engine)
    const d = torch.rand(10).to('webgpu');
    expect(d.isLeaf).toBe(true);
    // e requires gradients and has no operations creating it
    const e = torch.rand(10).to('webgpu').requiresGrad_();
    expect(e.isLeaf).toBe(true);
    // f requires grad, has no operation creating it
    const f = torch.rand(10, { requiresGrad: true, device: 'webgpu' });
    expect(f.isLeaf).toBe(true);
  });
});
