// Tensor hooks on a real GPU, against PyTorch 1.13 (fixtures/hooks.json, written by fixtures/gen_hooks.py).
// hooks.test.ts and module-hooks.test.ts check the rest on the CPU.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { initWebGPU } from './webgpu-setup.js';

interface FixtureTensor {
  shape: number[];
  data: number[];
}

const available = await initWebGPU();
const fx = loadFixture('hooks', new URL('./fixtures/', import.meta.url));

async function expectClose(actual: torch.Tensor | null, expected: FixtureTensor): Promise<void> {
  expect(actual?.device.type).toBe('webgpu');
  expect(actual?.shape).toEqual(expected.shape);
  const got = Array.from((await (actual as torch.Tensor).dataAsync()) as Float32Array);
  expected.data.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
}

describe.runIf(available)('WebGPU: registerHook', () => {
  it("runs the docstring's example on a GPU leaf: the hook doubles the gradient, then is removed", async () => {
    const v = torch.zeros(3, { device: 'webgpu', requiresGrad: true });
    const h = v.registerHook((grad) => grad.mul(2)); // double the gradient
    v.backward(torch.tensor([1, 2, 3], { dtype: 'float32', device: 'webgpu' }));
    await expectClose(v.grad, fx.tensor.docstring.doubled);
    h.remove(); // removes the hook
    v.grad = null;
    v.backward(torch.tensor([1, 2, 3], { dtype: 'float32', device: 'webgpu' }));
    await expectClose(v.grad, fx.tensor.docstring.after_remove);
  });

  it("replaces a GPU non-leaf's gradient before it flows on; a hook moving it to the CPU is PyTorch's type error", async () => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float32', device: 'webgpu', requiresGrad: true });
    const y = x.mul(2);
    y.registerHook((g) => g.add(1));
    y.mul(y).sum().backward();
    await expectClose(x.grad, fx.tensor.non_leaf.x_grad);

    const w = torch.ones(2, { device: 'webgpu', requiresGrad: true });
    w.registerHook(() => torch.ones(2));
    expect(() => w.mul(1).sum().backward()).toThrow(
      "hook '<lambda>' has changed the type of value (was torch.webgpu.FloatTensor got torch.FloatTensor)",
    );
  });
});
