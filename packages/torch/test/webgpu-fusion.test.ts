import { afterAll, describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

/**
 * Elementwise fusion seen from torch: an MLP's training steps on WebGPU follow the CPU's, with fusion on or off,
 * and a step with fusion issues far fewer dispatches (bias + ReLU in the matmul's epilogue, ReLU's gradient,
 * zero_grad + accumulate).
 */
const available = await initWebGPU();

function mlp(device: 'cpu' | 'webgpu') {
  torch.manualSeed(7);
  const model = new torch.nn.Sequential(new torch.nn.Linear(48, 32), new torch.nn.ReLU(), new torch.nn.Linear(32, 32), new torch.nn.ReLU(), new torch.nn.Linear(32, 10));
  if (device === 'webgpu') model.to('webgpu');
  const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1 });
  const x = torch.randn(16, 48).to(device);
  const y = torch.randint(0, 10, [16]).to(device);
  const lossFn = new torch.nn.CrossEntropyLoss();
  const step = () =>
    torch.scope(() => {
      optimizer.zeroGrad();
      const loss = lossFn(model(x), y);
      loss.backward();
      optimizer.step();
      return loss;
    });
  return { model, step };
}

async function trajectory(fusion: boolean) {
  torch.webgpu.setFusion(fusion);
  const { model, step } = mlp('webgpu');
  const losses: number[] = [];
  for (let i = 0; i < 3; i++) losses.push(await step().itemAsync());
  await torch.webgpu.synchronize();
  const before = torch.webgpu.memoryStats();
  step().dispose();
  await torch.webgpu.synchronize();
  const after = torch.webgpu.memoryStats();
  const weights = await Promise.all(model.parameters().map((p) => p.dataAsync()));
  return { losses, weights, dispatches: after.dispatches - before.dispatches, submits: after.submits - before.submits };
}

describe.runIf(available)('WebGPU elementwise fusion in a training step', () => {
  afterAll(() => torch.webgpu.setFusion(true));

  it('an MLP trains as on the CPU, fused or not, and a fused step issues far fewer dispatches', async () => {
    const cpu = mlp('cpu');
    const cpuLosses = [0, 1, 2].map(() => cpu.step().item());
    cpu.step();
    const cpuWeights = cpu.model.parameters().map((p) => p.dataSync());
    const fused = await trajectory(true);
    const unfused = await trajectory(false);
    for (const run of [fused, unfused]) {
      run.losses.forEach((l, i) => expect(Math.abs(l - cpuLosses[i])).toBeLessThan(1e-5 * (1 + Math.abs(cpuLosses[i]))));
      run.weights.forEach((w, k) => w.forEach((v, i) => expect(Math.abs(Number(v) - Number(cpuWeights[k][i]))).toBeLessThan(1e-5)));
    }
    expect(fused.dispatches).toBeLessThanOrEqual(0.7 * unfused.dispatches);
    expect(fused.submits).toBeLessThanOrEqual(unfused.submits);
  });

  it('Linear, ReLU, Linear is one kernel per layer (bias and ReLU in the matmul epilogue), with the CPU values', async () => {
    torch.webgpu.setFusion(true);
    torch.manualSeed(3);
    const model = new torch.nn.Sequential(new torch.nn.Linear(37, 45), new torch.nn.ReLU(), new torch.nn.Linear(45, 11));
    const x = torch.randn(19, 37);
    const expected = torch.noGrad(() => model(x)).dataSync();
    model.to('webgpu');
    const gx = x.to('webgpu');
    await torch.webgpu.synchronize();
    const before = torch.webgpu.memoryStats().dispatches;
    const y = torch.noGrad(() => model(gx));
    await torch.webgpu.synchronize();
    expect(torch.webgpu.memoryStats().dispatches - before).toBe(2);
    const got = await y.dataAsync();
    got.forEach((v, i) => expect(Math.abs(Number(v) - Number(expected[i]))).toBeLessThan(1e-5));
  });

  it('x * y + x and a chain through views match the CPU', async () => {
    torch.manualSeed(1);
    const x = torch.randn(4, 6);
    const y = torch.randn(6);
    const [gx, gy] = [x.to('webgpu'), y.to('webgpu')];
    const expected = x.mul(y).add(x).t().relu().sub(x.t().sigmoid()).dataSync();
    const got = await gx.mul(gy).add(gx).t().relu().sub(gx.t().sigmoid()).dataAsync();
    got.forEach((v, i) => expect(Math.abs(Number(v) - Number(expected[i]))).toBeLessThan(1e-6));
  });
});
