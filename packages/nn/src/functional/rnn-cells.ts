// One time step of each recurrence, written as ATen's CPU cells (aten/src/ATen/native/RNN.cpp) with differentiable
// tensor ops, so any device and dtype runs them. On a GPU backend with PyTorch's fused LSTM and GRU cells (float32),
// the step after its two products is one op instead, as PyTorch's CUDA cells: one kernel forward, one backward.
import { gruCell, hasFusedCell, lstmCell, type FusedCell, type Tensor } from '@descent/tensor';
import { linear } from './linear.js';

/** PyTorch's four recurrences (`RNNBase.mode`). */
export type RecurrentMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

/** How many gate blocks each mode stacks in its weights: `[chunks * hidden, in]`. */
export const GATE_CHUNKS: Record<RecurrentMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** The parameters of one cell (or one layer and direction): biases are null without bias, `weightHr` is the LSTM's projection. */
export interface CellWeights {
  weightIh: Tensor;
  weightHh: Tensor;
  biasIh: Tensor | null;
  biasHh: Tensor | null;
  weightHr: Tensor | null;
}

/** The recurrent state, each `[batch, features]`: `[h]`, or `[h, c]` for the LSTM. */
export type CellState = readonly Tensor[];

/** Gate block `k` of `chunks` along dim 1: ATen's `gates.unsafe_chunk(chunks, 1)[k]`. */
function gate(gates: Tensor, k: number, chunks: number): Tensor {
  const size = gates.shape[1] / chunks;
  return gates.narrow(1, k * size, size);
}

/** `x W_ih^T + b_ih` for a batch `[batch, in]` (or a whole sequence flattened to one): the input's share of the gates. */
export function inputGates(input: Tensor, w: CellWeights): Tensor {
  return linear(input, w.weightIh, w.biasIh);
}

/** The next state from the input's gates (`inputGates`) and the previous state. */
export function cellStep(mode: RecurrentMode, xGates: Tensor, state: CellState, w: CellWeights): Tensor[] {
  const hGates = linear(state[0], w.weightHh, w.biasHh);
  switch (mode) {
    case 'RNN_TANH':
      return [hGates.add(xGates).tanh()];
    case 'RNN_RELU':
      return [hGates.add(xGates).relu()];
    case 'LSTM': {
      if (!fused('lstm', xGates, hGates, state[1])) return lstmStep(hGates.add(xGates), state[1], w.weightHr);
      const [hidden, nextCell] = lstmCell(xGates, hGates, state[1]);
      return [w.weightHr ? linear(hidden, w.weightHr) : hidden, nextCell];
    }
    case 'GRU':
      return [fused('gru', xGates, hGates, state[0]) ? gruCell(xGates, hGates, state[0]) : gruStep(xGates, hGates, state[0])];
  }
}

/**
 * Whether the fused cell takes these operands: float32 on a backend with the kernels, other than the CPU. PyTorch's
 * CPU composes the cells (printed outputs show `grad_fn=<MulBackward0>`), its CUDA fuses them
 * (`ThnnFusedLstmCellBackward0`); so do the CPU and the GPU devices here.
 */
function fused(cell: FusedCell, ...tensors: Tensor[]): boolean {
  return tensors.every((t) => t.device.type !== 'cpu' && hasFusedCell(cell, t));
}

/** Gates i, f, g, o in that order: c' = f*c + i*g, h' = o*tanh(c'), projected by `W_hr` when there is one. */
function lstmStep(gates: Tensor, cell: Tensor, weightHr: Tensor | null): Tensor[] {
  const inGate = gate(gates, 0, 4).sigmoid();
  const forgetGate = gate(gates, 1, 4).sigmoid();
  const cellGate = gate(gates, 2, 4).tanh();
  const outGate = gate(gates, 3, 4).sigmoid();
  const nextCell = forgetGate.mul(cell).add(inGate.mul(cellGate));
  const hidden = outGate.mul(nextCell.tanh());
  return [weightHr ? linear(hidden, weightHr) : hidden, nextCell];
}

/** Gates r, z, n: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h' = (h - n) * z + n, as ATen computes (1-z)*n + z*h. */
function gruStep(xGates: Tensor, hGates: Tensor, hidden: Tensor): Tensor {
  const resetGate = gate(hGates, 0, 3).add(gate(xGates, 0, 3)).sigmoid();
  const updateGate = gate(hGates, 1, 3).add(gate(xGates, 1, 3)).sigmoid();
  const newGate = gate(xGates, 2, 3).add(gate(hGates, 2, 3).mul(resetGate)).tanh();
  return hidden.sub(newGate).mul(updateGate).add(newGate);
}
