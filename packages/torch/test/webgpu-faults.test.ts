import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

/**
 * Faults where they happen, through the public API: an allocation past the device's limits raises in the op that
 * asked; a bad index fails the op's result and everything computed from it (raised at their reads, naming the
 * op), while unrelated tensors, models and later ops go on as if nothing happened.
 */
const available = await initWebGPU();
const gpu = { device: 'webgpu' } as const;

describe.runIf(available)('WebGPU: faults are raised where they happen', () => {
  it('torch.zeros(1e10) raises at once with the size and the limit; memory and the next ops are untouched', async () => {
    await torch.webgpu.synchronize();
    const before = torch.webgpu.memoryStats();
    expect(() => torch.zeros(1e10, gpu)).toThrow(RangeError);
    expect(() => torch.zeros(1e10, gpu)).toThrow(/^webgpu: cannot allocate 40000000000 bytes for a tensor of 10000000000 float32: the device's maxBufferSize is \d+ bytes$/);
    // Past the binding limit (128 MB on lavapipe) but inside maxBufferSize: no kernel could bind it.
    expect(() => torch.ones(2 ** 25 + 1, gpu)).toThrow(/^webgpu: cannot allocate 134217732 bytes for a tensor of 33554433 float32: /);
    const after = torch.webgpu.memoryStats();
    expect([after.allocatedBytes, after.reservedBytes]).toEqual([before.allocatedBytes, before.reservedBytes]);
    expect(await torch.ones(3, gpu).add(1).tolistAsync()).toEqual([2, 2, 2]);
    expect(await torch.arange(4, { dtype: 'float32', ...gpu }).sum().itemAsync()).toBe(6);
    await expect(torch.webgpu.synchronize()).resolves.toBeUndefined();
  });

  it('gather with an index out of range: the result and its dependents raise at every read; others read on', async () => {
    const x = torch.tensor([1, 2, 3], { dtype: 'float32', ...gpu });
    const bad = x.gather(0, torch.tensor([0, 10], gpu));
    const dependent = bad.mul(2).sum();
    const unrelated = x.mul(2);
    const message = 'gather: index 10 is out of bounds for dimension 0 with size 3';
    await expect(bad.tolistAsync()).rejects.toThrow(new RangeError(message));
    await expect(bad.tolistAsync()).rejects.toThrow(message); // never the garbage values, however often it is read
    await expect(dependent.itemAsync()).rejects.toThrow(message);
    await expect(bad.toAsync('cpu')).rejects.toThrow(message);
    await expect(bad.toStringAsync()).rejects.toThrow(message);
    expect(await unrelated.tolistAsync()).toEqual([2, 4, 6]);
    await expect(torch.webgpu.synchronize()).resolves.toBeUndefined(); // raised by the reads already
  });

  it('embedding (index_select) with an index out of range raises at the read of its output', async () => {
    const weight = torch.arange(6, { dtype: 'float32', ...gpu }).reshape(3, 2);
    const out = torch.nn.functional.embedding(torch.tensor([0, 5], gpu), weight);
    await expect(out.tolistAsync()).rejects.toThrow('gather: index 5 is out of bounds for dimension 0 with size 3');
    expect(await weight.sum().itemAsync()).toBe(15);
  });

  it('a fault no read raised is raised by the next synchronize, once, naming the op', async () => {
    torch.tensor([1, 2], { dtype: 'float32', ...gpu }).gather(0, torch.tensor([-3], gpu));
    await expect(torch.webgpu.synchronize()).rejects.toThrow('gather: index -3 is out of bounds for dimension 0 with size 2');
    await expect(torch.webgpu.synchronize()).resolves.toBeUndefined();
  });

  it('a training step with a cross-entropy target out of range fails its loss and its weights, not another model', async () => {
    torch.manualSeed(0);
    const x = torch.randn(2, 4, gpu);
    const train = (target: number[]) => {
      const model = new torch.nn.Linear(4, 3).to('webgpu');
      const opt = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const loss = torch.nn.functional.crossEntropy(model(x), torch.tensor(target, gpu));
      loss.backward();
      opt.step();
      return { model, loss };
    };
    const bad = train([0, 3]);
    const good = train([0, 2]);
    await expect(bad.loss.itemAsync()).rejects.toThrow(new RangeError('crossEntropy: Target 3 is out of bounds.'));
    // The gradient's one-hot scatters the same target: the step that consumed it failed the weights it wrote.
    await expect(bad.model.weight.tolistAsync()).rejects.toThrow('index 3 is out of bounds for dimension 1 with size 3');
    await expect(bad.model.bias!.tolistAsync()).rejects.toThrow(RangeError);
    expect(Number.isFinite(await good.loss.itemAsync())).toBe(true);
    expect(((await good.model.weight.tolistAsync()) as number[][]).flat().every(Number.isFinite)).toBe(true);
    // Overwriting every element (as load_state_dict does) makes the parameter usable again.
    torch.noGrad(() => bad.model.weight.copy_(good.model.weight));
    expect(await bad.model.weight.tolistAsync()).toEqual(await good.model.weight.tolistAsync());
    await expect(torch.webgpu.synchronize()).resolves.toBeUndefined();
  });

  it('a composed optimizer step (RMSprop: tensor ops, then copy_) fails the weights and its state the same way', async () => {
    const model = new torch.nn.Linear(2, 3).to('webgpu');
    const opt = new torch.optim.RMSprop(model.parameters(), { lr: 0.01 });
    torch.nn.functional.crossEntropy(model(torch.ones(1, 2, gpu)), torch.tensor([7], gpu)).backward();
    opt.step();
    await expect(model.weight.tolistAsync()).rejects.toThrow('index 7 is out of bounds for dimension 1 with size 3');
    const state = opt.state.get(model.weight) as { squareAvg: torch.Tensor };
    await expect(state.squareAvg.sum().itemAsync()).rejects.toThrow('index 7 is out of bounds');
    expect(await torch.ones(2, gpu).sum().itemAsync()).toBe(2);
    // The loss was never read: the sync raises its fault, once.
    await expect(torch.webgpu.synchronize()).rejects.toThrow('crossEntropy: Target 7 is out of bounds.');
    await expect(torch.webgpu.synchronize()).resolves.toBeUndefined();
  });
});
