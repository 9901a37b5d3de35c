import { NO_PARAMS, run } from '../gate.js';
import { gradMode } from '../grad-mode.js';
import { GradNode } from '../graph.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';
import { setOutputHistories } from './output-parts.js';

/**
 * PyTorch's fused recurrent cells (`_thnn_fused_lstm_cell`, `_thnn_fused_gru_cell`, which its CUDA LSTMCell and
 * GRUCell run): one step of an LSTM or a GRU after its two products, one kernel forward and one backward where the
 * backend has them (float32), and composed from elementwise ops elsewhere. The biases stay in the products.
 *
 * The LSTM cell has two differentiable outputs, hy and cy, and one node (ThnnFusedLstmCellBackward0) whose rule
 * wants both gradients at once: each output gets an `outputPart` node (`output-parts.ts`), so neither gradient is
 * copied into a packed one first.
 */

export type FusedCell = 'lstm' | 'gru';

const FORWARD = { lstm: 'lstmCell', gru: 'gruCell' } as const;
const BACKWARD = { lstm: 'lstmCellBackward', gru: 'gruCellBackward' } as const;

/** Whether `x`'s device runs `cell`'s fused forward (`backward`: its fused backward) for x's dtype: float32 only. */
export function hasFusedCell(cell: FusedCell, x: Tensor, backward = false): boolean {
  return x.dtype === 'float32' && x.device.supports((backward ? BACKWARD : FORWARD)[cell]);
}

/** History for a cell's outputs, when grad mode is on and an input requires grad; the rule reads `saved` as outputs. */
function record(op: 'lstmCell' | 'gruCell', inputs: readonly Tensor[], outputs: readonly Tensor[], saved: readonly Tensor[], workspace: boolean): void {
  if (!gradMode.enabled || !inputs.some((t) => t.requiresGrad)) return;
  const next = inputs.map((t) => (t.requiresGrad ? t._gradEdge() : null));
  const meta = inputs.map((t) => ({ shape: t.shape, dtype: t.dtype }));
  const node = new GradNode(op, next, meta, { workspace }, [...inputs, ...saved]);
  if (outputs.length === 1) outputs[0]._setHistory(node);
  else setOutputHistories(node, outputs);
}

/** PyTorch's checks: 2-D gates of one shape, `chunks` blocks wide, and a state of one block per row. */
function checkCell(name: string, chunks: number, inputGates: Tensor, hiddenGates: Tensor, state: Tensor): void {
  const shapes = [inputGates, hiddenGates, state].map((t) => `[${t.shape.join(', ')}]`).join(', ');
  const [batch, hidden] = state.shape;
  const gatesOk = inputGates.ndim === 2 && inputGates.shape[0] === batch && inputGates.shape[1] === chunks * hidden;
  if (state.ndim !== 2 || !gatesOk || hiddenGates.shape.join() !== inputGates.shape.join()) {
    throw new RangeError(`${name}: expected input and hidden gates [B, ${chunks}H] and a state [B, H], got ${shapes}`);
  }
  if (inputGates.dtype !== hiddenGates.dtype || state.dtype !== inputGates.dtype) {
    throw new TypeError(`${name}: expected gates and state of one dtype, got ${inputGates.dtype}, ${hiddenGates.dtype} and ${state.dtype}`);
  }
}

/** Block `j` of `t`'s `size`-wide column blocks. */
const block = (t: Tensor, j: number, size: number): Tensor => t.narrow(1, j * size, size);

function composedLstm(inputGates: Tensor, hiddenGates: Tensor, cx: Tensor): Tensor[] {
  const gates = hiddenGates.add(inputGates);
  const h = cx.shape[1];
  const [i, f, g, o] = [block(gates, 0, h).sigmoid(), block(gates, 1, h).sigmoid(), block(gates, 2, h).tanh(), block(gates, 3, h).sigmoid()];
  const cy = f.mul(cx).add(i.mul(g));
  return [o.mul(cy.tanh()), cy];
}

/**
 * One LSTM step from its gates' products, `inputGates` and `hiddenGates` [B, 4H] (gates i, f, g, o), and the cell
 * state `cx` [B, H]: `[hy, cy]`, as `nn.LSTMCell` computes them. Differentiable in all three, with PyTorch's
 * ThnnFusedLstmCellBackward0 as both outputs' grad_fn.
 */
export function lstmCell(inputGates: Tensor, hiddenGates: Tensor, cx: Tensor): [Tensor, Tensor] {
  checkCell('lstmCell', 4, inputGates, hiddenGates, cx);
  const inputs = [inputGates, hiddenGates, cx];
  let out: Tensor[] = [];
  const workspace = hasFusedCell('lstm', cx);
  run('lstmCell', inputs, { workspace }, ([ig, hg, c]) => {
    out = workspace ? k.fusedLstmCell(ig, hg, c) : composedLstm(ig, hg, c);
  });
  // The rule reads cy, and the fused kernel's workspace (the gates' activations) when there is one.
  record('lstmCell', inputs, [out[0], out[1]], out.slice(1), workspace);
  return [out[0], out[1]];
}

function composedGru(inputGates: Tensor, hiddenGates: Tensor, hx: Tensor): Tensor {
  const h = hx.shape[1];
  const r = block(hiddenGates, 0, h).add(block(inputGates, 0, h)).sigmoid();
  const z = block(hiddenGates, 1, h).add(block(inputGates, 1, h)).sigmoid();
  const n = block(inputGates, 2, h).add(block(hiddenGates, 2, h).mul(r)).tanh();
  return hx.sub(n).mul(z).add(n);
}

/**
 * One GRU step from its gates' products, `inputGates` and `hiddenGates` [B, 3H] (gates r, z, n), and the hidden
 * state `hx` [B, H]: hy, as `nn.GRUCell` computes it. Differentiable in all three (ThnnFusedGruCellBackward0).
 */
export function gruCell(inputGates: Tensor, hiddenGates: Tensor, hx: Tensor): Tensor {
  checkCell('gruCell', 3, inputGates, hiddenGates, hx);
  const inputs = [inputGates, hiddenGates, hx];
  let out: Tensor[] = [];
  const workspace = hasFusedCell('gru', hx);
  run('gruCell', inputs, { workspace }, ([ig, hg, h]) => {
    out = workspace ? k.fusedGruCell(ig, hg, h) : [composedGru(ig, hg, h)];
  });
  record('gruCell', inputs, [out[0]], out.slice(1), workspace);
  return out[0];
}

/**
 * The fused LSTM backward (check `hasFusedCell('lstm', x, true)`): from hy's and cy's gradients (null: zero, not both)
 * and the forward's cx, cy and workspace, `[gradient of the gates, gradient of cx]`. Not recorded.
 */
export function lstmCellBackward(gradHy: Tensor | null, gradCy: Tensor | null, cx: Tensor, cy: Tensor, workspace: Tensor): [Tensor, Tensor] {
  const inputs = [gradHy, gradCy, cx, cy, workspace].filter((t): t is Tensor => t !== null);
  let out: Tensor[] = [];
  run('lstmCellBackward', inputs, NO_PARAMS, () => {
    out = k.fusedLstmCellBackward(gradHy, gradCy, cx, cy, workspace);
  });
  return [out[0], out[1]];
}

/** The fused GRU backward: `[gradient of the input gates, of the hidden gates, of hx]`. Not recorded. */
export function gruCellBackward(gradHy: Tensor, workspace: Tensor): [Tensor, Tensor, Tensor] {
  let out: Tensor[] = [];
  run('gruCellBackward', [gradHy, workspace], NO_PARAMS, ([g, w]) => {
    out = k.fusedGruCellBackward(g, w);
  });
  return [out[0], out[1], out[2]];
}
