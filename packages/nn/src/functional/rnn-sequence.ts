// A stack of recurrent layers over a whole sequence, as ATen's `_rnn_impl_with_concat`: each layer (both directions
// when bidirectional) reads the previous layer's output, with dropout between layers in training mode.
import { cat, stack, type Tensor } from '@descent/tensor';
import { cellStep, inputGates, type CellState, type CellWeights, type RecurrentMode } from './rnn-cells.js';
import { dropout } from './dropout.js';

export interface RecurrentStackOptions {
  mode: RecurrentMode;
  numLayers: number;
  bidirectional: boolean;
  /** Dropout probability on each layer's output but the last; applied only when `training`. */
  dropout: number;
  training: boolean;
}

/**
 * Runs the layers over a time-major `input` `[seq, batch, in]` from `initial` states (`[h0]` or `[h0, c0]`, each
 * `[layers * directions, batch, features]`), with `weights` per layer and direction (index `layer * directions +
 * direction`). Returns the last layer's output `[seq, batch, directions * hiddenOut]` and the final states, shaped
 * as `initial`.
 */
export function runRecurrentStack(
  input: Tensor,
  initial: CellState,
  weights: readonly CellWeights[],
  options: RecurrentStackOptions,
): { output: Tensor; state: Tensor[] } {
  if (input.shape[0] === 0) throw new RangeError('Expected sequence length to be larger than 0 in RNN');
  const directions = options.bidirectional ? 2 : 1;
  const finals: Tensor[][] = [];
  // Each layer's and direction's initial states, as ATen's `hx.unbind(0)`.
  const starts = initial.map((s) => s.unbind(0));
  let layerInput = input;
  for (let layer = 0; layer < options.numLayers; layer++) {
    const outputs: Tensor[] = [];
    for (let direction = 0; direction < directions; direction++) {
      const index = layer * directions + direction;
      const start = starts.map((s) => s[index]);
      const result = runDirection(options.mode, layerInput, start, weights[index], direction === 1);
      outputs.push(result.output);
      finals.push(result.state);
    }
    layerInput = outputs.length === 1 ? outputs[0] : cat(outputs, 2);
    if (options.dropout > 0 && options.training && layer < options.numLayers - 1) {
      // The same draw as F.dropout on this layer's output, so a seed gives PyTorch's masks.
      layerInput = dropout(layerInput, options.dropout, true);
    }
  }
  return { output: layerInput, state: initial.map((_, k) => stack(finals.map((f) => f[k]), 0)) };
}

/** One layer in one direction; the reverse direction walks time backwards and writes each output at its own step. */
function runDirection(mode: RecurrentMode, input: Tensor, state: CellState, w: CellWeights, reverse: boolean): { output: Tensor; state: Tensor[] } {
  const [steps, batch, features] = input.shape;
  // The input's share of the gates for every step at once: one matmul, as ATen precomputes on the CPU.
  const gates = inputGates(input.reshape(steps * batch, features), w);
  // One unbind for all steps, as ATen's: the steps' gradients then join in one stack, not a scatter and add each.
  const gatesPerStep = gates.reshape(steps, batch, gates.shape[1]).unbind(0);
  const outputs = new Array<Tensor>(steps);
  let current: Tensor[] = [...state];
  for (let k = 0; k < steps; k++) {
    const t = reverse ? steps - 1 - k : k;
    current = cellStep(mode, gatesPerStep[t], current, w);
    outputs[t] = current[0];
  }
  return { output: stack(outputs, 0), state: current };
}
