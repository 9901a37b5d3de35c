import type { HostArray, NumberHostArray, Operand } from '@descent/backend';
import { FLOAT32_STEPWISE, UNARY } from './elementwise.js';
import { contiguousData } from './strided.js';

/**
 * The spec's fused recurrent cells (`lstmCell`, `gruCell` and their backwards) as plain loops over float32. The
 * forwards round every step to float32 with this backend's own sigmoid and tanh, so their results are the bits the
 * composed ops (add, sigmoid, mul, ...) give; the backwards compute each element in double and round once.
 */

const sigmoid = FLOAT32_STEPWISE.sigmoid ?? UNARY.sigmoid;
const tanh = UNARY.tanh;
const f32 = Math.fround;

/** The operand's elements in row-major order (a view of the buffer when contiguous, else a gathered copy). */
const rows = (x: Operand<HostArray>): NumberHostArray => contiguousData(x as Operand<NumberHostArray>);

export function lstmCell(inputGates: Operand<HostArray>, hiddenGates: Operand<HostArray>, cx: Operand<HostArray>): [Float32Array, Float32Array, Float32Array] {
  const [batch, h] = cx.view.shape;
  const [ig, hg, c] = [rows(inputGates), rows(hiddenGates), rows(cx)];
  const hy = new Float32Array(batch * h);
  const cy = new Float32Array(batch * h);
  const workspace = new Float32Array(batch * 4 * h);
  for (let r = 0; r < batch; r++) {
    for (let j = 0; j < h; j++) {
      const k = r * 4 * h + j;
      const i = f32(sigmoid(f32(hg[k] + ig[k])));
      const f = f32(sigmoid(f32(hg[k + h] + ig[k + h])));
      const g = f32(tanh(f32(hg[k + 2 * h] + ig[k + 2 * h])));
      const o = f32(sigmoid(f32(hg[k + 3 * h] + ig[k + 3 * h])));
      const at = r * h + j;
      const next = f32(f32(f * c[at]) + f32(i * g));
      cy[at] = next;
      hy[at] = o * f32(tanh(next));
      workspace[k] = i;
      workspace[k + h] = f;
      workspace[k + 2 * h] = g;
      workspace[k + 3 * h] = o;
    }
  }
  return [hy, cy, workspace];
}

export function lstmCellBackward(
  gradHy: Operand<HostArray> | null,
  gradCy: Operand<HostArray> | null,
  cx: Operand<HostArray>,
  cy: Operand<HostArray>,
  workspace: Operand<HostArray>,
): [Float32Array, Float32Array] {
  const [batch, h] = cx.view.shape;
  const [ghy, gcy] = [gradHy && rows(gradHy), gradCy && rows(gradCy)];
  const [c, next, w] = [rows(cx), rows(cy), rows(workspace)];
  const gates = new Float32Array(batch * 4 * h);
  const gradCx = new Float32Array(batch * h);
  for (let r = 0; r < batch; r++) {
    for (let j = 0; j < h; j++) {
      const at = r * h + j;
      const k = r * 4 * h + j;
      const [i, f, g, o] = [w[k], w[k + h], w[k + 2 * h], w[k + 3 * h]];
      // tanh(cy) as the forward rounded it: what `o * tanh(cy)` saw.
      const t = f32(tanh(next[at]));
      const gh = ghy ? ghy[at] : 0;
      const dc = (gcy ? gcy[at] : 0) + gh * o * (1 - t * t);
      gates[k] = dc * g * i * (1 - i);
      gates[k + h] = dc * c[at] * f * (1 - f);
      gates[k + 2 * h] = dc * i * (1 - g * g);
      gates[k + 3 * h] = gh * t * o * (1 - o);
      gradCx[at] = dc * f;
    }
  }
  return [gates, gradCx];
}

export function gruCell(inputGates: Operand<HostArray>, hiddenGates: Operand<HostArray>, hx: Operand<HostArray>): [Float32Array, Float32Array] {
  const [batch, h] = hx.view.shape;
  const [ig, hg, x] = [rows(inputGates), rows(hiddenGates), rows(hx)];
  const hy = new Float32Array(batch * h);
  const workspace = new Float32Array(batch * 5 * h);
  for (let row = 0; row < batch; row++) {
    for (let j = 0; j < h; j++) {
      const k = row * 3 * h + j;
      const r = f32(sigmoid(f32(hg[k] + ig[k])));
      const z = f32(sigmoid(f32(hg[k + h] + ig[k + h])));
      const hn = hg[k + 2 * h];
      const n = f32(tanh(f32(ig[k + 2 * h] + f32(hn * r))));
      const at = row * h + j;
      const prev = x[at];
      hy[at] = f32(f32(prev - n) * z) + n;
      const s = row * 5 * h + j;
      workspace[s] = r;
      workspace[s + h] = z;
      workspace[s + 2 * h] = n;
      workspace[s + 3 * h] = prev;
      workspace[s + 4 * h] = hn;
    }
  }
  return [hy, workspace];
}

export function gruCellBackward(gradHy: Operand<HostArray>, workspace: Operand<HostArray>): [Float32Array, Float32Array, Float32Array] {
  const [batch, h] = gradHy.view.shape;
  const [ghy, w] = [rows(gradHy), rows(workspace)];
  const gradInput = new Float32Array(batch * 3 * h);
  const gradHidden = new Float32Array(batch * 3 * h);
  const gradHx = new Float32Array(batch * h);
  for (let row = 0; row < batch; row++) {
    for (let j = 0; j < h; j++) {
      const s = row * 5 * h + j;
      const [r, z, n, prev, hn] = [w[s], w[s + h], w[s + 2 * h], w[s + 3 * h], w[s + 4 * h]];
      const at = row * h + j;
      const g = ghy[at];
      const dn = g * (1 - z) * (1 - n * n);
      const dz = g * (prev - n) * z * (1 - z);
      const dr = dn * hn * r * (1 - r);
      const k = row * 3 * h + j;
      gradInput[k] = gradHidden[k] = dr;
      gradInput[k + h] = gradHidden[k + h] = dz;
      gradInput[k + 2 * h] = dn;
      gradHidden[k + 2 * h] = dn * r;
      gradHx[at] = g * z;
    }
  }
  return [gradInput, gradHidden, gradHx];
}
