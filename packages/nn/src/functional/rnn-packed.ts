// The recurrent stack over a PackedSequence, as ATen's `PackedLayer` and `ReversedPackedLayer` (RNN.cpp): each
// sequence stops at its own length, so the batch shrinks step by step and a finished sequence's state is set aside
// as its final state; the reverse direction starts each sequence at its own last step, from its own initial state.
import { cat, stack, type Tensor } from '@descent/tensor';
import { cellStep, inputGates, type CellState, type CellWeights, type RecurrentMode } from './rnn-cells.js';
import type { RecurrentStackOptions } from './rnn-sequence.js';
import { dropout } from './dropout.js';

/**
 * Runs the layers over packed `data` `[sum of lengths, in]` whose steps hold `batchSizes[t]` sequences (sorted by
 * decreasing length), from `initial` states (each `[layers * directions, batchSizes[0], features]`, in sorted
 * order). Returns the last layer's packed output `[sum of lengths, directions * hiddenOut]` and the final states,
 * shaped as `initial`, still in sorted order.
 */
export function runPackedStack(
  data: Tensor,
  batchSizes: readonly number[],
  initial: CellState,
  weights: readonly CellWeights[],
  options: RecurrentStackOptions,
): { output: Tensor; state: Tensor[] } {
  const directions = options.bidirectional ? 2 : 1;
  const finals: Tensor[][] = [];
  let layerInput = data;
  for (let layer = 0; layer < options.numLayers; layer++) {
    const outputs: Tensor[] = [];
    for (let direction = 0; direction < directions; direction++) {
      const index = layer * directions + direction;
      const start = initial.map((s) => s.select(0, index));
      const run = direction === 1 ? runPackedReverse : runPackedForward;
      const result = run(options.mode, inputGates(layerInput, weights[index]), batchSizes, start, weights[index]);
      outputs.push(result.output);
      finals.push(result.state);
    }
    layerInput = outputs.length === 1 ? outputs[0] : cat(outputs, 1);
    if (options.dropout > 0 && options.training && layer < options.numLayers - 1) {
      // ATen drops out the packed data itself, so the mask is drawn over `[sum of lengths, features]`.
      layerInput = dropout(layerInput, options.dropout, true);
    }
  }
  return { output: layerInput, state: initial.map((_, k) => stack(finals.map((f) => f[k]), 0)) };
}

interface DirectionResult {
  output: Tensor;
  state: Tensor[];
}

/** Forward in time: when the batch shrinks, the rows of the sequences that just ended are their final states. */
function runPackedForward(mode: RecurrentMode, gates: Tensor, batchSizes: readonly number[], state: CellState, w: CellWeights): DirectionResult {
  const outputs: Tensor[] = [];
  const ended: Tensor[][] = [];
  let hidden = [...state];
  let offset = 0;
  let last = batchSizes[0];
  for (const size of batchSizes) {
    if (size < last) {
      ended.push(hidden.map((h) => h.narrow(0, size, last - size)));
      hidden = hidden.map((h) => h.narrow(0, 0, size));
    }
    hidden = cellStep(mode, gates.narrow(0, offset, size), hidden, w);
    outputs.push(hidden[0]);
    offset += size;
    last = size;
  }
  // The longest sequences end last but come first in the batch.
  ended.push(hidden);
  ended.reverse();
  return { output: cat(outputs, 0), state: hidden.map((_, k) => catRows(ended.map((e) => e[k]))) };
}

/** Backward in time: the batch grows, each sequence joining at its last step with its own initial state. */
function runPackedReverse(mode: RecurrentMode, gates: Tensor, batchSizes: readonly number[], state: CellState, w: CellWeights): DirectionResult {
  const steps = batchSizes.length;
  const outputs = new Array<Tensor>(steps);
  let last = batchSizes[steps - 1];
  let hidden = state.map((h) => h.narrow(0, 0, last));
  let offset = gates.shape[0];
  for (let t = steps - 1; t >= 0; t--) {
    const size = batchSizes[t];
    if (size > last) hidden = hidden.map((h, k) => cat([h, state[k].narrow(0, last, size - last)], 0));
    offset -= size;
    hidden = cellStep(mode, gates.narrow(0, offset, size), hidden, w);
    outputs[t] = hidden[0];
    last = size;
  }
  return { output: cat(outputs, 0), state: hidden };
}

function catRows(parts: Tensor[]): Tensor {
  return parts.length === 1 ? parts[0] : cat(parts, 0);
}
