import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';

/**
 * PyTorch 1.13 on a machine without CUDA (as checked with Debian's build): `torch.cuda.is_available()` is False,
 * `device_count()` 0, seeding CUDA is silently ignored, the cuDNN flags can be set, MPS is neither available nor
 * built, and CUDA calls raise "Torch not compiled with CUDA enabled".
 */
describe('torch.cuda and torch.backends without CUDA', () => {
  it('lets the usual device idiom pick the CPU', () => {
    const device = torch.cuda.isAvailable() ? 'cuda' : 'cpu';
    expect(device).toBe('cpu');
    expect(torch.cuda.deviceCount()).toBe(0);
    expect(torch.cuda.isInitialized()).toBe(false);
    const x = torch.ones(2, { device });
    expect(x.device.type).toBe('cpu');
  });

  it('ignores CUDA seeds, so the CPU stream is the one torch.manualSeed set', () => {
    torch.manualSeed(7);
    const first = torch.rand(3).tolist();
    torch.manualSeed(7);
    torch.cuda.manualSeed(123);
    torch.cuda.manualSeedAll(123);
    expect(torch.rand(3).tolist()).toEqual(first);
  });

  it('keeps the cuDNN flags a program sets, and says no to cuDNN and MPS', () => {
    expect([torch.backends.cudnn.enabled, torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark]).toEqual([true, false, false]);
    torch.backends.cudnn.deterministic = true;
    torch.backends.cudnn.benchmark = false;
    expect(torch.backends.cudnn.deterministic).toBe(true);
    torch.backends.cudnn.deterministic = false;
    expect([torch.backends.cudnn.isAvailable(), torch.backends.mps.isAvailable(), torch.backends.mps.isBuilt()]).toEqual([false, false, false]);
  });

  it("raises PyTorch's message for CUDA calls and the 'cuda' device, naming 'webgpu'", () => {
    expect(() => torch.cuda.synchronize()).toThrow('Torch not compiled with CUDA enabled');
    expect(() => torch.cuda.currentDevice()).toThrow("Descent's GPU device is 'webgpu'");
    expect(() => torch.zeros(2, { device: 'cuda' })).toThrow("Unknown device 'cuda'. Available devices: cpu");
    expect(() => torch.zeros(2).to('cuda:0')).toThrow("Descent's GPU device is 'webgpu'");
  });
});
