// The recurrent layers on the fused LSTM and GRU cells (the CPU backend's kernels, on a device that is not the CPU:
// nn uses the fused cells on GPU devices only, as PyTorch does on CUDA) against the same layers composed from
// elementwise ops (the CPU device, and float64): the same outputs, states and gradients.
import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import type { Device, Tensor } from '@descent/tensor';
import * as nn from '../src/index.js';

/** The CPU backend's kernels as a device of their own: nn takes the fused cells there (on the CPU it composes). */
const FUSED: Device = torch.registerBackend(Object.create(torch.cpu.backend, { name: { value: 'fused-rnn' } }) as typeof torch.cpu.backend);

type Recurrent = nn.LSTM | nn.GRU | nn.LSTMCell | nn.GRUCell;

/** Outputs and final states, then the input's and every parameter's gradient of a weighted sum of them. */
function run(module: Recurrent, input: Tensor): { values: Tensor[]; grads: Tensor[]; gradFn: string } {
  const x = input.detach().requiresGrad_(true);
  module.zeroGrad({ setToNone: true });
  const result = (module as (x: Tensor) => unknown)(x);
  const values = (Array.isArray(result) ? result.flat(2) : [result]) as Tensor[];
  const weighted = values.map((t, k) => t.mul(torch.linspace(-1, 1 + k, t.numel()).reshape(t.shape).to(t.device)).sum());
  weighted.reduce((a, b) => a.add(b)).backward();
  return { values, grads: [x.grad!, ...module.parameters().map((p) => p.grad!)], gradFn: values[values.length - 1].gradFn!.name() };
}

/** Within `rtol` of the largest |b|: gradients are sums of rounded products. */
function expectNear(a: Tensor, b: Tensor, what: string, rtol = 1e-6): void {
  const scale = b.abs().max().item() as number;
  expect(a.to('cpu').to('float64').sub(b.to('cpu').to('float64')).abs().max().item() as number, what).toBeLessThanOrEqual(rtol * scale);
}

describe('recurrent layers on the fused cells', () => {
  const cases: [string, () => Recurrent, number[]][] = [
    ['LSTM, 2 layers, bidirectional', () => new nn.LSTM(3, 5, { numLayers: 2, bidirectional: true }), [4, 2, 3]],
    ['LSTM with projections', () => new nn.LSTM(3, 5, { projSize: 2, batchFirst: true }), [2, 4, 3]],
    ['GRU, 2 layers', () => new nn.GRU(3, 4, 2), [5, 3, 3]],
    ['LSTMCell', () => new nn.LSTMCell(3, 6), [4, 3]],
    ['GRUCell, unbatched', () => new nn.GRUCell(3, 6), [3]],
  ];

  it.each(cases)('%s: the composed path\'s outputs (bit for bit) and gradients', (_, make, shape) => {
    torch.manualSeed(11);
    const module = make();
    const input = torch.randn(shape);
    const composed = run(module, input);
    module.to(FUSED);
    const fused = run(module, input.to(FUSED));
    fused.values.forEach((v, k) => expect(torch.equal(v.to('cpu'), composed.values[k]), `value ${k}`).toBe(true));
    fused.grads.forEach((g, k) => expectNear(g, composed.grads[k], `gradient ${k}`));
    // The last value is the final cell state (LSTM) or hidden state: the fused node's output, or the composed add.
    expect(fused.gradFn).toMatch(/^(ThnnFused(Lstm|Gru)CellBackward0|StackBackward0|SqueezeBackward\d)$/);
    expect(composed.gradFn).not.toMatch(/ThnnFused/);
    module.to('cpu').to('float64');
    const double = run(module, input.to('float64'));
    fused.grads.forEach((g, k) => expectNear(g, double.grads[k], `gradient ${k} against float64`, 1e-5));
  });

  it("names PyTorch CUDA's grad_fn for a fused float32 cell, and PyTorch CPU's on the CPU and for float64", () => {
    const cell = new nn.LSTMCell(2, 3);
    const [h, c] = cell(torch.randn(4, 2));
    expect([h.gradFn!.name(), c.gradFn!.name()]).toEqual(['MulBackward0', 'AddBackward0']);
    expect(new nn.GRUCell(2, 3)(torch.randn(4, 2)).gradFn!.name()).toBe('AddBackward0');
    cell.to(FUSED);
    const [hf, cf] = cell(torch.randn(4, 2).to(FUSED));
    expect([hf.gradFn!.name(), cf.gradFn!.name()]).toEqual(['ThnnFusedLstmCellBackward0', 'ThnnFusedLstmCellBackward0']);
    cell.to('float64');
    const [h64, c64] = cell(torch.randn(4, 2, { dtype: 'float64' }).to(FUSED));
    expect([h64.gradFn!.name(), c64.gradFn!.name()]).toEqual(['MulBackward0', 'AddBackward0']);
    expect(new nn.GRUCell(2, 3).to(FUSED)(torch.randn(4, 2).to(FUSED)).gradFn!.name()).toBe('ThnnFusedGruCellBackward0');
  });
});
