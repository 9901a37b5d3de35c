// The recurrent layers are written with ordinary tensor ops, so they run and train on WebGPU unchanged: each one's
// output, final states and gradients there match the same module's on the CPU (which the nn package pins to PyTorch).
import { describe, expect, it } from 'vitest';
import * as torch from '@descent/torch';
import type { Tensor } from '@descent/torch';
import { initWebGPU } from './webgpu-setup.js';

const available = await initWebGPU();

type Recurrent = torch.nn.RNN | torch.nn.LSTM | torch.nn.GRU | torch.nn.LSTMCell | torch.nn.GRUCell;

/** Output and final states, then the gradients of their sum w.r.t. the input and every parameter, read back. */
async function runAndDifferentiate(module: Recurrent, input: Tensor): Promise<Float32Array[]> {
  const x = input.detach().requiresGrad_(true);
  module.zeroGrad({ setToNone: true });
  const result = (module as (x: Tensor) => unknown)(x);
  const tensors = (Array.isArray(result) ? result.flat(2) : [result]) as Tensor[];
  tensors.map((t) => t.sum()).reduce((a, b) => a.add(b)).backward();
  const read = [...tensors, x.grad!, ...module.parameters().map((p) => p.grad!)];
  return Promise.all(read.map(async (t) => (await t.dataAsync()) as Float32Array));
}

describe.runIf(available)('recurrent layers on WebGPU', () => {
  const cases: [string, () => Recurrent, number[]][] = [
    ['LSTM, 2 layers, bidirectional, dropout in eval', () => new torch.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, dropout: 0.5 }).eval(), [5, 2, 3]],
    ['LSTM with projections, batch first', () => new torch.nn.LSTM(3, 5, { projSize: 2, batchFirst: true }), [2, 4, 3]],
    ['GRU, unbatched', () => new torch.nn.GRU(3, 4, 2), [6, 3]],
    ['RNN relu', () => new torch.nn.RNN(3, 4, { nonlinearity: 'relu' }), [4, 2, 3]],
    ['LSTMCell', () => new torch.nn.LSTMCell(3, 4), [2, 3]],
    ['GRUCell', () => new torch.nn.GRUCell(3, 4), [2, 3]],
  ];

  it.each(cases)('%s: forward, states and gradients match the CPU', async (_, make, shape) => {
    torch.manualSeed(0);
    const module = make();
    const input = torch.randn(shape);
    const onCpu = await runAndDifferentiate(module, input);
    module.to('webgpu');
    const onGpu = await runAndDifferentiate(module, input.to('webgpu'));
    expect(module.parameters().every((p) => p.grad?.device.type === 'webgpu')).toBe(true);
    expect(onGpu.length).toBe(onCpu.length);
    onGpu.forEach((values, k) => {
      values.forEach((v, i) => expect(Math.abs(v - onCpu[k][i]), `tensor ${k} element ${i}`).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(onCpu[k][i])));
    });
  });
});
