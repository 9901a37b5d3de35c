// Device moves on a real GPU keep the graph (ToCopyBackward0), against PyTorch 1.13 (fixtures/to-copy.json, written
// by fixtures/gen_to_copy.py). to-copy.test.ts checks the same on the CPU alone.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { initWebGPU } from './webgpu-setup.js';

interface FixtureTensor {
  shape: number[];
  data: number[];
}

const available = await initWebGPU();
const fx = loadFixture('to-copy', new URL('./fixtures/', import.meta.url));
const valueCase = (name: string) => fx.values.find((c: { name: string }) => c.name === name);

const tensorOf = (t: FixtureTensor, options: { device?: torch.DeviceLike; requiresGrad?: boolean } = {}) =>
  torch.fromArray(Float32Array.from(t.data), t.shape, options);

async function expectClose(actual: torch.Tensor, expected: FixtureTensor, deviceType: string): Promise<void> {
  expect(actual.device.type).toBe(deviceType);
  expect(actual.shape).toEqual(expected.shape);
  const got = Array.from((await actual.dataAsync()) as Float32Array);
  expected.data.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
}

describe.runIf(available)('WebGPU: device moves keep the graph', () => {
  it('CPU -> WebGPU of a leaf and of a non-leaf records ToCopyBackward0; backward names what to do instead', async () => {
    const c = valueCase('leaf');
    const leaf = tensorOf(c.x, { requiresGrad: true });
    const moved = leaf.to('webgpu');
    expect([moved.gradFn?.name(), moved.isLeaf, moved.requiresGrad]).toEqual(['ToCopyBackward0', false, true]);
    const nonLeaf = leaf.mul(3).to('webgpu');
    expect([nonLeaf.gradFn?.name(), nonLeaf.isLeaf]).toEqual(['ToCopyBackward0', false]);
    // The forward on the GPU is PyTorch's; bringing the gradient back to the CPU would need a synchronous GPU read.
    const loss = moved.sin().mul(tensorOf(c.w, { device: 'webgpu' })).sum();
    expect(await loss.itemAsync()).toBeCloseTo(c.loss, 5);
    expect(() => loss.backward()).toThrow(
      /^ToCopyBackward0: cannot copy the gradient back from 'webgpu(:0)?' to 'cpu' during backward\(\): that needs a synchronous read/,
    );
    expect(() => nonLeaf.sum().backward()).toThrow(/await grad\.toAsync\('cpu'\)/);
    expect(leaf.grad).toBeNull();
  });

  it('WebGPU -> CPU with toAsync: a loss on the CPU gives the GPU leaf its gradient, through a leaf or a non-leaf', async () => {
    for (const name of ['leaf', 'non_leaf']) {
      const c = valueCase(name);
      const leaf = tensorOf(c.x, { device: 'webgpu', requiresGrad: true });
      const moved = await (name === 'leaf' ? leaf : leaf.mul(3).add(1)).toAsync('cpu');
      expect([moved.device.type, moved.gradFn?.name()]).toEqual(['cpu', 'ToCopyBackward0']);
      const loss = (name === 'leaf' ? moved.sin() : moved.tanh()).mul(tensorOf(c.w)).sum();
      expect(loss.item()).toBeCloseTo(c.loss, 5);
      loss.backward();
      await expectClose(leaf.grad as torch.Tensor, c.grad, 'webgpu');
    }
  });

  it('WebGPU -> CPU -> WebGPU: the step back to the GPU is a CPU -> GPU move, so backward throws there', async () => {
    const c = valueCase('round_trip');
    const leaf = tensorOf(c.x, { device: 'webgpu', requiresGrad: true });
    const there = (await leaf.toAsync('cpu')).pow(2).to('webgpu');
    const loss = there.mul(tensorOf(c.w, { device: 'webgpu' })).sum();
    expect(await loss.itemAsync()).toBeCloseTo(c.loss, 5);
    expect(() => loss.backward()).toThrow(/cannot copy the gradient back from 'webgpu(:0)?' to 'cpu'/);
    expect(leaf.grad).toBeNull();
  });

  it('the ways out the error names: tensors moved before they require grad, a leaf made on the GPU', async () => {
    const c = valueCase('leaf');
    for (const leaf of [tensorOf(c.x).to('webgpu').requiresGrad_(), tensorOf(c.x, { device: 'webgpu', requiresGrad: true })]) {
      expect(leaf.isLeaf).toBe(true);
      leaf.sin().mul(tensorOf(c.w, { device: 'webgpu' })).sum().backward();
      await expectClose(await (leaf.grad as torch.Tensor).toAsync('cpu'), c.grad, 'cpu');
    }
  });

  it('module.to(webgpu) keeps a transposed weight, trains there, and reads back to the CPU with toAsync', async () => {
    const c = fx.linear_transposed;
    const lin = new torch.nn.Linear(3, 2);
    lin.weight = new torch.nn.Parameter(torch.arange(1, 7, { dtype: 'float32' }).reshape(3, 2).t());
    torch.noGrad(() => lin.bias?.copy_(tensorOf(c.bias)));
    const weight = lin.weight;
    const opt = new torch.optim.SGD(lin.parameters(), { lr: c.sgd_lr });
    lin.to('webgpu');
    expect(lin.weight).toBe(weight);
    expect([weight.device.type, weight.isLeaf, weight.requiresGrad]).toEqual(['webgpu', true, true]);
    expect(await weight.tolistAsync()).toEqual(c.weight_list);
    const out = lin(tensorOf(c.x, { device: 'webgpu' }));
    await expectClose(out, c.output, 'webgpu');
    out.mul(tensorOf(c.upstream, { device: 'webgpu' })).sum().backward();
    await expectClose(weight.grad as torch.Tensor, c.weight_grad, 'webgpu');
    opt.step();
    // The module API moves synchronously, so a GPU module reads back per tensor, asynchronously.
    expect(() => lin.to('cpu')).toThrow(/toAsync/);
    await expectClose(await weight.toAsync('cpu'), c.weight_after_sgd, 'cpu');
    await expectClose(await (lin.bias as torch.nn.Parameter).toAsync('cpu'), c.bias_after_sgd, 'cpu');
    expect((await weight.t().toAsync('cpu')).t().tolist()).toEqual((await weight.toAsync('cpu')).tolist());
  });
});
