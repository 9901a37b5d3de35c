// torch.save reads tensors with dataAsync, so a model on the GPU saves to PyTorch's format like one on the CPU.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

describe.runIf(available)('torch.save of GPU tensors', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'descent-gpu-save-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a model on 'webgpu' saves to a .pt file that loads with the same values", async () => {
    torch.manualSeed(5);
    const cpu = new torch.nn.Sequential(new torch.nn.Linear(3, 4), new torch.nn.ReLU(), new torch.nn.Linear(4, 2));
    const expected = Object.fromEntries(Object.entries(cpu.stateDict()).map(([k, v]) => [k, v.tolist()]));
    const gpu = cpu.to('webgpu');
    const path = join(dir, 'gpu-model.pt');
    await torch.save({ model: gpu.stateDict(), mask: torch.tensor([true, false]).to('webgpu') }, path);
    const loaded = await torch.load<{ model: Record<string, torch.Tensor>; mask: torch.Tensor }>(path);
    expect(Object.fromEntries(Object.entries(loaded.model).map(([k, v]) => [k, v.tolist()]))).toEqual(expected);
    expect(loaded.mask.tolist()).toEqual([true, false]);
  });
});
