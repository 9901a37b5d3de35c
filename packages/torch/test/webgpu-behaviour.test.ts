import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { loadFixture } from '@descent/test-fixtures';
import { collectUnreachable, initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();
const gpu = { device: 'webgpu' } as const;
const crop = {
  x: [[73, 67, 43], [91, 88, 64], [87, 134, 58], [102, 43, 37], [69, 96, 70]],
  y: [[56, 70], [81, 101], [119, 133], [22, 37], [103, 119]],
};

describe.runIf(available)('WebGPU: the notebooks give PyTorch numbers', () => {
  it('seed 004 from manualSeed(1337): random numbers are generated on the host, so the weights match exactly', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const fixture = loadFixture('notebooks').cases.find((c: any) => c.notebook.startsWith('004'));
    const x = torch.tensor(crop.x, { dtype: 'float32', ...gpu });
    const y = torch.tensor(crop.y, { dtype: 'float32', ...gpu });
    torch.manualSeed(1337);
    const w = torch.randn(2, 3, { requiresGrad: true, ...gpu });
    const b = torch.rand(2, { requiresGrad: true, ...gpu });
    expect(Array.from((await w.dataAsync()) as Float32Array)).toEqual(fixture.init.weights);
    let loss = x.sum();
    for (let i = 0; i < 100; i++) {
      loss = x.matmul(w.t()).add(b).sub(y).pow(2).mean();
      loss.backward();
      torch.noGrad(() => {
        w.sub_(w.grad!.mul(1e-4));
        b.sub_(b.grad!.mul(1e-4));
        w.grad!.zero_();
        b.grad!.zero_();
      });
    }
    expect(((await loss.sqrt().itemAsync()) as number).toFixed(4)).toBe('2.3694');
    const weights = Array.from((await w.dataAsync()) as Float32Array);
    weights.forEach((v, i) => expect(Math.abs(v - fixture.weights[i])).toBeLessThan(1e-4 * Math.abs(fixture.weights[i]) + 1e-5));
  });

  it('nn.Linear + DataLoader + SGD on WebGPU agrees with the CPU run', async () => {
    const run = async (device: 'cpu' | 'webgpu') => {
      torch.manualSeed(0);
      const model = new torch.nn.Linear(3, 2).to(device);
      const ds = new torch.utils.data.TensorDataset(
        torch.tensor(crop.x, { dtype: 'float32', device }),
        torch.tensor(crop.y, { dtype: 'float32', device }),
      );
      const loader = new torch.utils.data.DataLoader(ds, { batchSize: 2, shuffle: true });
      const opt = new torch.optim.SGD(model.parameters(), { lr: 1e-5 });
      for (let epoch = 0; epoch < 20; epoch++) {
        for (const [xb, yb] of loader) {
          const loss = torch.nn.functional.mseLoss(model(xb), yb);
          loss.backward();
          opt.step();
          opt.zeroGrad();
        }
      }
      return Array.from((await model.weight.dataAsync()) as Float32Array);
    };
    const cpu = await run('cpu');
    const onGpu = await run('webgpu');
    onGpu.forEach((v, i) => expect(Math.abs(v - cpu[i])).toBeLessThan(1e-4 * Math.abs(cpu[i]) + 1e-5));
  });
});

describe.runIf(available)('WebGPU: execution, memory and errors', () => {
  it('batches many ops into few submits and caches pipelines by shape-independent keys', async () => {
    // Unfused, so each op is its own dispatch (fusion would run the chain in far fewer: webgpu-fusion.test.ts).
    torch.webgpu.setFusion(false);
    try {
      await torch.webgpu.synchronize();
      const before = torch.webgpu.memoryStats();
      let a = torch.ones(4, 4, gpu);
      for (let i = 0; i < 200; i++) a = a.mul(1.001).add(0.001);
      const bigger = torch.ones(64, 32, gpu).mul(1.001).add(0.001);
      await a.dataAsync();
      await bigger.dataAsync();
      const after = torch.webgpu.memoryStats();
      expect(after.dispatches - before.dispatches).toBeGreaterThanOrEqual(400);
      expect(after.submits - before.submits).toBeLessThanOrEqual(3);
    } finally {
      torch.webgpu.setFusion(true);
    }
  });

  it('a sync read on a GPU tensor fails with a message naming the async form', () => {
    const t = torch.ones(2, gpu);
    expect(() => t.item()).toThrow(/tensor.itemAsync\(\)/);
    expect(() => t.tolist()).toThrow(/GPU reads are asynchronous/);
    expect(() => t.to('cpu')).toThrow(/await tensor.toAsync\('cpu'\)/);
    expect(String(t)).toMatch(/^tensor\(<2 float32 on webgpu:0: await tensor.toStringAsync\(\) to read the values>, device='webgpu:0'\)$/);
  });

  it('prints a GPU tensor like PyTorch prints a CUDA tensor once read', async () => {
    expect(await torch.tensor([[1.5, 2]], gpu).toStringAsync()).toBe("tensor([[1.5000, 2.0000]], device='webgpu:0')");
  });

  it('mixing devices in one op names both devices', () => {
    expect(() => torch.ones(2, gpu).add(torch.ones(2))).toThrow(
      'Expected all tensors to be on the same device, but found at least two devices, webgpu:0 and cpu!',
    );
  });

  it('an out-of-range gather index is raised by the read of its result (webgpu-faults.test.ts has the rest)', async () => {
    const out = torch.ones(2, 3, gpu).gather(1, torch.tensor([[0], [7]], gpu));
    await expect(out.dataAsync()).rejects.toThrow('gather: index 7 is out of bounds for dimension 1 with size 3');
  });

  it('moves tensors between devices with toAsync, and models with to()', async () => {
    const t = torch.arange(6, { dtype: 'float32' }).reshape(2, 3).to('webgpu');
    expect(t.device.type).toBe('webgpu');
    const back = await t.t().toAsync('cpu');
    expect(back.tolist()).toEqual([[0, 3], [1, 4], [2, 5]]);
  });

  it('keeps GPU memory flat over 10,000 training steps with no dispose() calls', async () => {
    const x = torch.tensor(crop.x, { dtype: 'float32', ...gpu });
    const y = torch.tensor(crop.y, { dtype: 'float32', ...gpu });
    torch.manualSeed(0);
    const w = torch.randn(2, 3, { requiresGrad: true, ...gpu });
    const b = torch.randn(2, { requiresGrad: true, ...gpu });
    const live: number[] = [];
    const reserved: number[] = [];
    for (let step = 1; step <= 10_000; step++) {
      const loss = x.matmul(w.t()).add(b).sub(y).pow(2).mean();
      loss.backward();
      torch.noGrad(() => {
        w.sub_(w.grad!.mul(1e-5));
        b.sub_(b.grad!.mul(1e-5));
        w.grad!.zero_();
        b.grad!.zero_();
      });
      // Every 100 steps: collect everything unreachable, so what is left is what the code still holds, however
      // busy the machine (a collector left to its own timing once held 66 MB here under load).
      if (step % 100 === 0) {
        await collectUnreachable();
        const m = torch.webgpu.memoryStats();
        live.push(m.allocatedBytes);
        reserved.push(m.reservedBytes);
      }
    }
    // Exactly flat: the loop keeps x, y, w, b and two grads alive, the same bytes at every check. A leak of even one
    // 256-byte block per 100 steps would show.
    expect(new Set(live.slice(1)).size).toBe(1);
    expect(live.at(-1)).toBe(live[0]);
    // The pool needs at most what 100 steps allocate between collections (~25 blocks of 256 bytes per step, in
    // slabs that double): well under 4 MB. A leak of this loop's tensors would hold 64 MB by the end.
    expect(Math.max(...reserved)).toBeLessThanOrEqual(4 << 20);
  }, 300_000);

  it('dispose() and scope() free GPU memory deterministically', async () => {
    await torch.webgpu.synchronize();
    const base = torch.webgpu.memoryAllocated();
    const big = torch.zeros(256, 256, gpu);
    expect(torch.webgpu.memoryAllocated()).toBeGreaterThanOrEqual(base + 256 * 256 * 4);
    big.dispose();
    expect(torch.webgpu.memoryAllocated()).toBe(base);
    expect(() => big.add(1)).toThrow(/disposed/);
    const kept = torch.scope(() => {
      const a = torch.ones(128, 128, gpu);
      const b2 = a.mul(2).add(1);
      return b2.sum();
    });
    expect(torch.webgpu.memoryAllocated()).toBeLessThanOrEqual(base + 256);
    expect(await kept.itemAsync()).toBe(3 * 128 * 128);
  });
});

describe.runIf(available)('WebGPU: the Node process exits on its own', () => {
  it('a script that uses the GPU and never shuts it down exits', () => {
    const script = `import * as torch from '@descent/torch'; await torch.webgpu.init(); const t = torch.ones(3, { device: 'webgpu' }).mul(2); console.log(await t.tolistAsync());`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 30_000,
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('[ 2, 2, 2 ]');
  });
});
