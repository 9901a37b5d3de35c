// Whole training steps of the models the layer tutorials build (a transformer encoder with masks and dropout, a CNN
// with batch norm and dropout, an embedding + LSTM tagger), on the CPU and again on WebGPU from the same weights
// and seed: losses, parameters and running statistics agree after every step. The CPU side is pinned to PyTorch by
// the nn goldens and the translated programs; this checks that nothing on the GPU path (in-place updates of
// buffers, masks, dropout's host-drawn masks, fused kernels) drifts from it.
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import type { Tensor } from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();
const { nn, optim } = torch;
const F = nn.functional;

interface Program {
  model: () => torch.nn.Module;
  /**
   * SGD where a gradient is zero but for rounding (the key bias of attention: softmax ignores a shift shared by all
   * keys), which Adam would scale up to steps of the learning rate's size from noise that differs between devices.
   */
  sgd?: true;
  /** The loss of one batch on `device` (its inputs made there from the host's generator, seeded per step). */
  loss: (model: torch.nn.Module, device: string, step: number) => Tensor;
}

class Tagger extends nn.Module {
  embedding = new nn.Embedding(12, 6, { paddingIdx: 0 });
  lstm = new nn.LSTM(6, 5, { batchFirst: true, bidirectional: true });
  head = new nn.Linear(10, 4);

  override forward(tokens: Tensor): Tensor {
    const [out] = this.lstm(this.embedding(tokens));
    return F.logSoftmax(this.head(out), -1);
  }
}

const PROGRAMS: Record<string, Program> = {
  'transformer encoder, causal and padding masks, dropout, GELU': {
    sgd: true,
    model: () => {
      const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.1, batchFirst: true, activation: 'gelu' });
      return new nn.Sequential(new nn.TransformerEncoder(layer, 2), new nn.Linear(8, 3));
    },
    loss: (model, device, step) => {
      torch.manualSeed(100 + step);
      const x = torch.randn(3, 5, 8).to(device);
      const target = torch.randint(0, 3, [3, 5]).to(device);
      const causal = nn.Transformer.generateSquareSubsequentMask(5).to(device);
      const padding = torch.tensor([[false, false, false, false, true], [false, false, false, false, false], [false, false, false, true, true]]).to(device);
      const [encoder, head] = [...(model as torch.nn.Sequential).children()] as [torch.nn.TransformerEncoder, torch.nn.Linear];
      const out = head(encoder(x, { mask: causal, srcKeyPaddingMask: padding }));
      return F.crossEntropy(out.reshape(-1, 3), target.reshape(-1));
    },
  },
  'CNN with batch norm, dropout2d, max and adaptive pooling': {
    model: () =>
      new nn.Sequential(
        new nn.Conv2d(2, 4, 3, { padding: 1 }),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Dropout2d(0.25),
        new nn.Conv2d(4, 6, 3, { stride: 1, padding: 'same', groups: 2 }),
        new nn.BatchNorm2d(6, { momentum: 0.2 }),
        new nn.LeakyReLU(0.1),
        new nn.AdaptiveAvgPool2d(1),
        new nn.Flatten(),
        new nn.Linear(6, 3),
      ),
    loss: (model, device, step) => {
      torch.manualSeed(200 + step);
      const x = torch.randn(4, 2, 8, 8).to(device);
      const target = torch.randint(0, 3, [4]).to(device);
      return F.crossEntropy(model(x) as Tensor, target, { labelSmoothing: 0.1 });
    },
  },
  'embedding + bidirectional LSTM tagger, NLL loss with ignore_index': {
    model: () => new Tagger(),
    loss: (model, device, step) => {
      torch.manualSeed(300 + step);
      const tokens = torch.randint(0, 12, [2, 6]).to(device);
      const tags = torch.randint(0, 4, [2, 6]).to(device);
      return F.nllLoss((model(tokens) as Tensor).reshape(-1, 4), tags.reshape(-1), { ignoreIndex: 0 });
    },
  },
};

/** Three Adam (or SGD) steps with a step-decay schedule and gradient clipping; the losses, then every parameter and buffer. */
async function train(program: Program, model: torch.nn.Module, device: string): Promise<Float32Array[]> {
  model.train();
  const optimizer = program.sgd
    ? new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9, nesterov: true })
    : new optim.Adam(model.parameters(), { lr: 0.01, weightDecay: 1e-4 });
  const scheduler = new optim.lrScheduler.StepLR(optimizer, 1, { gamma: 0.5 });
  const losses: Tensor[] = [];
  for (let step = 0; step < 3; step++) {
    optimizer.zeroGrad();
    const loss = program.loss(model, device, step);
    loss.backward();
    nn.utils.clipGradNorm_(model.parameters(), 1.0);
    optimizer.step();
    scheduler.step();
    losses.push(loss.detach());
  }
  const state = Object.values(model.stateDict()).filter((t) => t.dtype === 'float32');
  return Promise.all([torch.stack(losses), ...state].map(async (t) => Float32Array.from((await t.dataAsync()) as Float32Array)));
}

describe.runIf(available)('training steps on WebGPU match the CPU', { timeout: 120_000 }, () => {
  it.each(Object.entries(PROGRAMS))('%s', async (_, program) => {
    torch.manualSeed(0);
    const cpuModel = program.model();
    const initial = cpuModel.stateDict();
    const gpuModel = program.model();
    gpuModel.loadStateDict(initial);
    const onCpu = await train(program, cpuModel, 'cpu');
    gpuModel.to('webgpu');
    const onGpu = await train(program, gpuModel, 'webgpu');
    expect(onGpu.length).toBe(onCpu.length);
    onGpu.forEach((values, k) => {
      expect(values.length, `tensor ${k}`).toBe(onCpu[k].length);
      values.forEach((v, i) => expect(Math.abs(v - onCpu[k][i]), `tensor ${k} element ${i}: ${v} vs ${onCpu[k][i]}`).toBeLessThanOrEqual(2e-5 + 2e-4 * Math.abs(onCpu[k][i])));
    });
  });
});
