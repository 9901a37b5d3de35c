import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

async function expectNear(gpu: torch.Tensor, cpu: torch.Tensor, tol = 1e-5): Promise<void> {
  expect(gpu.shape).toEqual(cpu.shape);
  const a = (await gpu.dataAsync()) as Float32Array;
  const b = cpu.dataSync() as Float32Array;
  b.forEach((v, i) => {
    if (!(Math.abs(a[i] - v) <= tol * (1 + Math.abs(v)))) throw new Error(`element ${i}: webgpu ${a[i]} vs cpu ${v}`);
  });
}

/** Dispatches `fn` encodes on the GPU. */
async function dispatchesOf(fn: () => unknown): Promise<number> {
  await torch.webgpu.synchronize();
  const before = torch.webgpu.memoryStats().dispatches;
  fn();
  return torch.webgpu.memoryStats().dispatches - before;
}

describe.runIf(available)('WebGPU fused kernels agree with the composed CPU ops', () => {
  torch.manualSeed(3);
  const x = torch.randn(3, 4, 5).mul(3);

  it('softmax and logSoftmax along every dim, in one kernel each', async () => {
    const g = x.to('webgpu');
    for (const dim of [0, 1, 2, -1]) {
      await expectNear(g.softmax(dim), x.softmax(dim));
      await expectNear(g.logSoftmax(dim), x.logSoftmax(dim));
    }
    expect(await dispatchesOf(() => g.softmax(-1))).toBe(1);
  });

  it('cross-entropy forward and gradient, with every reduction', async () => {
    const logits = torch.randn(6, 5);
    const target = torch.tensor([4, 0, 2, 2, 1, 3]);
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const a = logits.clone().requiresGrad_();
      const b = logits.to('webgpu').requiresGrad_();
      const la = torch.nn.functional.crossEntropy(a, target, { reduction });
      const lb = torch.nn.functional.crossEntropy(b, target.to('webgpu'), { reduction });
      await expectNear(lb, la);
      la.sum().backward();
      lb.sum().backward();
      await expectNear(b.grad!, a.grad!);
    }
    expect(await dispatchesOf(() => torch.crossEntropyLoss(logits.to('webgpu'), target.to('webgpu'), 'none'))).toBeLessThanOrEqual(3);
  });

  const optimizers: [string, (p: torch.Tensor[]) => torch.optim.Optimizer][] = [
    ['SGD momentum nesterov weight decay', (p) => new torch.optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
    ['SGD dampening maximize', (p) => new torch.optim.SGD(p, { lr: 0.05, momentum: 0.5, dampening: 0.3, maximize: true })],
    ['Adam amsgrad', (p) => new torch.optim.Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.1 })],
    ['AdamW', (p) => new torch.optim.AdamW(p, { lr: 0.01, weightDecay: 0.1 })],
  ];
  for (const [name, make] of optimizers) {
    it(`${name}: 5 steps match the CPU trajectory`, async () => {
      const w0 = torch.randn(4, 3);
      const xs = torch.randn(8, 4);
      const ys = torch.randn(8, 3);
      const run = async (device: 'cpu' | 'webgpu') => {
        const w = w0.to(device).requiresGrad_();
        const opt = make([w]);
        for (let i = 0; i < 5; i++) {
          opt.zeroGrad();
          xs.to(device).matmul(w).sub(ys.to(device)).pow(2).mean().backward();
          opt.step();
        }
        return w;
      };
      await expectNear(await run('webgpu'), await run('cpu'), 2e-5);
    });
  }
});

/** Random programs over the primitives, run on both devices: shapes, views and broadcasting included. */
describe.runIf(available)('property: random op sequences give the same numbers on CPU and WebGPU', () => {
  const unary = ['exp', 'tanh', 'sigmoid', 'relu', 'abs', 'neg', 'sin'] as const;
  const binary = ['add', 'sub', 'mul', 'maximum'] as const;

  function lcg(seed: number): () => number {
    let s = seed >>> 0;
    return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  }

  for (let seed = 1; seed <= 25; seed++) {
    it(`program #${seed}`, async () => {
      const rand = lcg(seed);
      const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
      torch.manualSeed(seed);
      const start = torch.randn(3, 4);
      let cpu = start;
      let gpu = start.to('webgpu');
      const steps: string[] = [];
      for (let i = 0; i < 12; i++) {
        const r = rand();
        if (r < 0.3) {
          const op = pick(unary);
          steps.push(op);
          cpu = cpu[op]();
          gpu = gpu[op]();
        } else if (r < 0.6) {
          const op = pick(binary);
          const other = torch.randn(...(rand() < 0.5 ? cpu.shape : [cpu.shape[cpu.shape.length - 1]]));
          steps.push(`${op}(${other.shape})`);
          cpu = cpu[op](other);
          gpu = gpu[op](other.to('webgpu'));
        } else if (r < 0.75) {
          steps.push('t');
          cpu = cpu.t();
          gpu = gpu.t();
        } else if (r < 0.85) {
          const dim = Math.floor(rand() * cpu.ndim);
          steps.push(`softmax(${dim})`);
          cpu = cpu.softmax(dim);
          gpu = gpu.softmax(dim);
        } else if (r < 0.93) {
          const dim = Math.floor(rand() * cpu.ndim);
          steps.push(`sum(${dim}, keepdim)`);
          cpu = cpu.sum(dim, { keepdim: true }).expand(...cpu.shape);
          gpu = gpu.sum(dim, { keepdim: true }).expand(...gpu.shape);
        } else {
          steps.push('matmul(t)');
          cpu = cpu.matmul(cpu.t()).tanh();
          gpu = gpu.matmul(gpu.t()).tanh();
        }
      }
      try {
        await expectNear(gpu, cpu, 1e-4);
      } catch (error) {
        throw new Error(`${(error as Error).message} after ${steps.join(' -> ')}`);
      }
    });
  }
});
