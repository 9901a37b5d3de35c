import { cat, gruCellBackward, hasFusedCell, isGradEnabled, lstmCellBackward, zerosLike, type GradNode, type Tensor } from '@descent/tensor';

/**
 * The gradients of the fused recurrent cells (`lstmCell`, `gruCell`): one fused kernel where the forward saved its
 * kernel's workspace and the backend has the backward. A backward that builds a graph (`createGraph`), or one on a
 * backend without the kernels, recomputes the gates' activations from the saved inputs with differentiable ops
 * instead, so the cells have second derivatives (PyTorch's `_thnn_differentiable_lstm_cell_backward`).
 */

/** `s * (1 - s)`: a sigmoid's slope from its value. */
const sigmoidSlope = (s: Tensor): Tensor => s.mul(s.neg().add(1));
/** `1 - y²`: tanh's slope from its value. */
const tanhSlope = (y: Tensor): Tensor => y.mul(y).neg().add(1);

/** Column block `j` of `size` columns. */
const block = (t: Tensor, j: number, size: number): Tensor => t.narrow(1, j * size, size);

/** hy's and cy's gradients (either may be null: nothing flowed back from that output). */
export function lstmCellGrads(grads: readonly (Tensor | null)[], n: GradNode<'lstmCell'>): (Tensor | null)[] {
  const [gradHy = null, gradCy = null] = grads;
  const cx = n.input(2);
  const fused = n.params.workspace && !isGradEnabled() && hasFusedCell('lstm', cx, true);
  const [gates, gradCx] = fused
    ? lstmCellBackward(gradHy, gradCy, cx, n.output(0), n.output(1))
    : composedLstmGrads(gradHy, gradCy, n.input(0), n.input(1), cx);
  // The gates are the sum of the two products: each gets the same gradient.
  return [n.needs(0) ? gates : null, n.needs(1) ? gates : null, n.needs(2) ? gradCx : null];
}

function composedLstmGrads(gradHy: Tensor | null, gradCy: Tensor | null, inputGates: Tensor, hiddenGates: Tensor, cx: Tensor): [Tensor, Tensor] {
  const h = cx.shape[1];
  const gates = hiddenGates.add(inputGates);
  const [i, f, g, o] = [block(gates, 0, h).sigmoid(), block(gates, 1, h).sigmoid(), block(gates, 2, h).tanh(), block(gates, 3, h).sigmoid()];
  const t = f.mul(cx).add(i.mul(g)).tanh();
  // cy's gradient: its own, and hy's through tanh.
  const viaHy = gradHy && gradHy.mul(o).mul(tanhSlope(t));
  const dc = gradCy && viaHy ? gradCy.add(viaHy) : (gradCy ?? viaHy ?? zerosLike(cx));
  const dOut = gradHy ? gradHy.mul(t).mul(sigmoidSlope(o)) : zerosLike(o);
  const dGates = cat([dc.mul(g).mul(sigmoidSlope(i)), dc.mul(cx).mul(sigmoidSlope(f)), dc.mul(i).mul(tanhSlope(g)), dOut], 1);
  return [dGates, dc.mul(f)];
}

export function gruCellGrads(grad: Tensor, n: GradNode<'gruCell'>): (Tensor | null)[] {
  const fused = n.params.workspace && !isGradEnabled() && hasFusedCell('gru', grad, true);
  const [gradInput, gradHidden, gradHx] = fused ? gruCellBackward(grad, n.output(0)) : composedGruGrads(grad, n.input(0), n.input(1), n.input(2));
  return [n.needs(0) ? gradInput : null, n.needs(1) ? gradHidden : null, n.needs(2) ? gradHx : null];
}

function composedGruGrads(grad: Tensor, inputGates: Tensor, hiddenGates: Tensor, hx: Tensor): [Tensor, Tensor, Tensor] {
  const h = hx.shape[1];
  const r = block(hiddenGates, 0, h).add(block(inputGates, 0, h)).sigmoid();
  const z = block(hiddenGates, 1, h).add(block(inputGates, 1, h)).sigmoid();
  const hn = block(hiddenGates, 2, h);
  const n = block(inputGates, 2, h).add(hn.mul(r)).tanh();
  const dn = grad.mul(z.neg().add(1)).mul(tanhSlope(n));
  const dz = grad.mul(hx.sub(n)).mul(sigmoidSlope(z));
  const dr = dn.mul(hn).mul(sigmoidSlope(r));
  return [cat([dr, dz, dn], 1), cat([dr, dz, dn.mul(r)], 1), grad.mul(z)];
}
