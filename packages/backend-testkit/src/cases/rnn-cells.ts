/**
 * Cases for the optional fused recurrent cells (`lstmCell`, `gruCell` and their backwards), against float64 loops
 * of the spec's formulas: a batch of one and a hidden size of one, rows wider than a workgroup, gates read as a
 * step of a whole sequence's gates (an offset), a state stored transposed, a broadcast (stride-0) gradient, and the
 * LSTM backward with only one of its two gradients. Each value is compared relative to the sum of its terms' sizes
 * (`scale`), which bounds what a float32 kernel's rounding of each step can add up to.
 */
import { numelOf } from '@descent/backend';
import { reals } from '../data.js';
import { broadcast, contiguous, logicalNumbers, strided, reversedOrder, type StridedSpec } from '../layouts.js';
import type { ConformanceCase } from './case.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** The values a float32 kernel saved, as its backward reads them back. */
const float32 = (values: number[]) => values.map(Math.fround);

interface Cell {
  batch: number;
  hidden: number;
  gates: number;
  inputGates: StridedSpec;
  hiddenGates: StridedSpec;
  state: StridedSpec;
}

type Layout = 'contiguous' | 'views';

/** Gates for `batch` rows of `chunks` blocks of `hidden` (with `views`: a step of a sequence's gates, a transposed state). */
function cell(batch: number, hidden: number, chunks: number, seed: number, layout: Layout): Cell {
  const gates = chunks * hidden;
  const [ig, hg, s] = [reals(batch * gates, seed), reals(batch * gates, seed + 1), reals(batch * hidden, seed + 2)];
  if (layout === 'contiguous') {
    return { batch, hidden, gates, inputGates: contiguous('float32', ig, [batch, gates]), hiddenGates: contiguous('float32', hg, [batch, gates]), state: contiguous('float32', s, [batch, hidden]) };
  }
  return {
    batch,
    hidden,
    gates,
    inputGates: strided('float32', ig, [batch, gates], { offset: 2 * batch * gates }),
    hiddenGates: strided('float32', hg, [batch, gates], { offset: 1 }),
    state: strided('float32', s, [batch, hidden], { order: reversedOrder(2), offset: 3 }),
  };
}

const block = (values: number[], c: Cell, row: number, k: number, j: number) => values[row * c.gates + k * c.hidden + j];

/** The LSTM forward in float64: hy, cy, the activations i, f, g, o, and the scale of cy's terms. */
function lstmReference(c: Cell) {
  const [ig, hg, cx] = [logicalNumbers(c.inputGates), logicalNumbers(c.hiddenGates), logicalNumbers(c.state)];
  const hy: number[] = [];
  const cy: number[] = [];
  const scale: number[] = [];
  const hyScale: number[] = [];
  const workspace = new Array<number>(c.batch * c.gates);
  for (let r = 0; r < c.batch; r++) {
    for (let j = 0; j < c.hidden; j++) {
      const gate = (k: number) => block(hg, c, r, k, j) + block(ig, c, r, k, j);
      const [i, f, g, o] = [sigmoid(gate(0)), sigmoid(gate(1)), Math.tanh(gate(2)), sigmoid(gate(3))];
      const at = r * c.hidden + j;
      const next = f * cx[at] + i * g;
      const t = Math.tanh(next);
      cy.push(next);
      hy.push(o * t);
      // The sum of cy's terms bounds its rounding; hy's error is o times tanh's error and cy's.
      const cyScale = Math.abs(f * cx[at]) + Math.abs(i * g);
      scale.push(cyScale);
      hyScale.push(o * (Math.abs(t) + cyScale));
      [i, f, g, o].forEach((v, k) => (workspace[r * c.gates + k * c.hidden + j] = v));
    }
  }
  return { hy, cy, workspace, scale, hyScale };
}

function gruReference(c: Cell) {
  const [ig, hg, hx] = [logicalNumbers(c.inputGates), logicalNumbers(c.hiddenGates), logicalNumbers(c.state)];
  const hy: number[] = [];
  const scale: number[] = [];
  const workspace = new Array<number>(c.batch * 5 * c.hidden);
  const wsScale = new Array<number>(c.batch * 5 * c.hidden);
  for (let row = 0; row < c.batch; row++) {
    for (let j = 0; j < c.hidden; j++) {
      const r = sigmoid(block(hg, c, row, 0, j) + block(ig, c, row, 0, j));
      const z = sigmoid(block(hg, c, row, 1, j) + block(ig, c, row, 1, j));
      const hn = block(hg, c, row, 2, j);
      const preN = block(ig, c, row, 2, j) + hn * r;
      const n = Math.tanh(preN);
      const at = row * c.hidden + j;
      hy.push((hx[at] - n) * z + n);
      // n's error: the rounding of its argument's terms through tanh's slope, and tanh's own.
      const nScale = Math.abs(n) + (1 - n * n) * (Math.abs(block(ig, c, row, 2, j)) + Math.abs(hn * r));
      scale.push(Math.abs(hx[at]) * z + (Math.abs(n) + nScale) * (1 + z));
      [r, z, nScale, Math.abs(hx[at]), Math.abs(hn)].forEach((v, k) => (wsScale[row * 5 * c.hidden + k * c.hidden + j] = v));
      [r, z, n, hx[at], hn].forEach((v, k) => (workspace[row * 5 * c.hidden + k * c.hidden + j] = v));
    }
  }
  return { hy, workspace, scale, wsScale };
}

function lstmCase(title: string, c: Cell): ConformanceCase {
  return {
    title: [title],
    run: async (h) => {
      const ref = lstmReference(c);
      const out = h.optional('lstmCell', (b) => b.lstmCell(h.input(c.inputGates), h.input(c.hiddenGates), h.input(c.state)));
      const state = [c.batch, c.hidden];
      await h.expectBuffer('hy', out[0], { dtype: 'float32', shape: state, values: ref.hy, scale: ref.hyScale, kind: 'transcendental' });
      await h.expectBuffer('cy', out[1], { dtype: 'float32', shape: state, values: ref.cy, scale: ref.scale, kind: 'transcendental' });
      const gates = [c.batch, c.gates];
      await h.expectBuffer('workspace', out[2], { dtype: 'float32', shape: gates, values: ref.workspace, kind: 'transcendental' });
    },
  };
}

type GivenGrads = 'both' | 'hy' | 'cy' | 'broadcast hy';

function lstmBackwardCase(title: string, c: Cell, given: GivenGrads): ConformanceCase {
  return {
    title: [title],
    run: async (h) => {
      const forward = lstmReference(c);
      const [cx, cy, workspace] = [logicalNumbers(c.state), float32(forward.cy), float32(forward.workspace)];
      const shape = [c.batch, c.hidden];
      const n = numelOf(shape);
      const ghy = given === 'cy' ? null : given === 'broadcast hy' ? broadcast('float32', reals(c.hidden, 911), [1, c.hidden], shape) : contiguous('float32', reals(n, 912), shape);
      const gcy = given === 'hy' || given === 'broadcast hy' ? null : strided('float32', reals(n, 913), shape, { step: 2 });
      const [gh, gc] = [ghy ? logicalNumbers(ghy) : new Array<number>(n).fill(0), gcy ? logicalNumbers(gcy) : new Array<number>(n).fill(0)];
      const [gates, gateScale] = [new Array<number>(c.batch * c.gates), new Array<number>(c.batch * c.gates)];
      const gradCx: number[] = [];
      const scale: number[] = [];
      for (let r = 0; r < c.batch; r++) {
        for (let j = 0; j < c.hidden; j++) {
          const at = r * c.hidden + j;
          const [i, f, g, o] = [0, 1, 2, 3].map((k) => block(workspace, c, r, k, j));
          const t = Math.tanh(cy[at]);
          const dc = gc[at] + gh[at] * o * (1 - t * t);
          const grads = [dc * g * i * (1 - i), dc * cx[at] * f * (1 - f), dc * i * (1 - g * g), gh[at] * t * o * (1 - o)];
          grads.forEach((v, k) => (gates[r * c.gates + k * c.hidden + j] = v));
          gradCx.push(dc * f);
          // Each result's terms in absolute value: 1 - t² is computed from a rounded t, so it counts as 1 + t².
          const dcScale = Math.abs(gc[at]) + Math.abs(gh[at]) * o * (1 + t * t);
          const scales = [dcScale * Math.abs(g) * i * (1 - i), dcScale * Math.abs(cx[at]) * f * (1 - f), dcScale * i * (1 + g * g), Math.abs(gh[at] * t) * o * (1 - o)];
          scales.forEach((v, k) => (gateScale[r * c.gates + k * c.hidden + j] = v));
          scale.push(dcScale * f);
        }
      }
      const out = h.optional('lstmCellBackward', (b) =>
        b.lstmCellBackward(ghy && h.input(ghy), gcy && h.input(gcy), h.input(c.state), h.input(contiguous('float32', cy, shape)), h.input(contiguous('float32', workspace, [c.batch, c.gates]))),
      );
      await h.expectBuffer('gradient of the gates', out[0], { dtype: 'float32', shape: [c.batch, c.gates], values: gates, scale: gateScale, kind: 'transcendental' });
      await h.expectBuffer('gradient of cx', out[1], { dtype: 'float32', shape, values: gradCx, scale, kind: 'transcendental' });
    },
  };
}

function gruCase(title: string, c: Cell): ConformanceCase {
  return {
    title: [title],
    run: async (h) => {
      const ref = gruReference(c);
      const out = h.optional('gruCell', (b) => b.gruCell(h.input(c.inputGates), h.input(c.hiddenGates), h.input(c.state)));
      await h.expectBuffer('hy', out[0], { dtype: 'float32', shape: [c.batch, c.hidden], values: ref.hy, scale: ref.scale, kind: 'transcendental' });
      await h.expectBuffer('workspace', out[1], { dtype: 'float32', shape: [c.batch, 5 * c.hidden], values: ref.workspace, scale: ref.wsScale, kind: 'transcendental' });
    },
  };
}

function gruBackwardCase(title: string, c: Cell, broadcastGrad = false): ConformanceCase {
  return {
    title: [title],
    run: async (h) => {
      const workspace = float32(gruReference(c).workspace);
      const shape = [c.batch, c.hidden];
      const grad = broadcastGrad ? broadcast('float32', reals(c.hidden, 921), [1, c.hidden], shape) : strided('float32', reals(numelOf(shape), 922), shape, { offset: 5 });
      const g = logicalNumbers(grad);
      const [gradInput, gradHidden] = [new Array<number>(c.batch * c.gates), new Array<number>(c.batch * c.gates)];
      const [inputScale, hiddenScale] = [new Array<number>(c.batch * c.gates), new Array<number>(c.batch * c.gates)];
      const gradHx: number[] = [];
      const scale: number[] = [];
      for (let row = 0; row < c.batch; row++) {
        for (let j = 0; j < c.hidden; j++) {
          const [r, z, n, prev, hn] = [0, 1, 2, 3, 4].map((k) => workspace[row * 5 * c.hidden + k * c.hidden + j]);
          const at = row * c.hidden + j;
          const dn = g[at] * (1 - z) * (1 - n * n);
          const dz = g[at] * (prev - n) * z * (1 - z);
          const dr = dn * hn * r * (1 - r);
          [dr, dz, dn].forEach((v, k) => (gradInput[row * c.gates + k * c.hidden + j] = v));
          [dr, dz, dn * r].forEach((v, k) => (gradHidden[row * c.gates + k * c.hidden + j] = v));
          gradHx.push(g[at] * z);
          // Each result's terms in absolute value (1 - n² from a rounded n counts as 1 + n²).
          const dnScale = Math.abs(g[at]) * (1 - z) * (1 + n * n);
          const [drScale, dzScale] = [dnScale * Math.abs(hn) * r * (1 - r), Math.abs(g[at]) * (Math.abs(prev) + Math.abs(n)) * z * (1 - z)];
          [drScale, dzScale, dnScale].forEach((v, k) => (inputScale[row * c.gates + k * c.hidden + j] = v));
          [drScale, dzScale, dnScale * r].forEach((v, k) => (hiddenScale[row * c.gates + k * c.hidden + j] = v));
          scale.push(Math.abs(g[at]) * z);
        }
      }
      const out = h.optional('gruCellBackward', (b) => b.gruCellBackward(h.input(grad), h.input(contiguous('float32', workspace, [c.batch, 5 * c.hidden]))));
      const gates = [c.batch, c.gates];
      await h.expectBuffer('gradient of the input gates', out[0], { dtype: 'float32', shape: gates, values: gradInput, scale: inputScale, kind: 'transcendental' });
      await h.expectBuffer('gradient of the hidden gates', out[1], { dtype: 'float32', shape: gates, values: gradHidden, scale: hiddenScale, kind: 'transcendental' });
      await h.expectBuffer('gradient of hx', out[2], { dtype: 'float32', shape, values: gradHx, scale, kind: 'transcendental' });
    },
  };
}

export const lstmCellCases = (): ConformanceCase[] => [
  lstmCase('one row of one unit', cell(1, 1, 4, 700, 'contiguous')),
  lstmCase('rows wider than a workgroup', cell(3, 130, 4, 701, 'contiguous')),
  lstmCase('a step of a sequence, the state transposed', cell(4, 5, 4, 702, 'views')),
];

export const lstmCellBackwardCases = (): ConformanceCase[] => [
  lstmBackwardCase('both gradients', cell(3, 130, 4, 703, 'contiguous'), 'both'),
  lstmBackwardCase('only gradHy, broadcast, the state transposed', cell(4, 5, 4, 704, 'views'), 'broadcast hy'),
  lstmBackwardCase('only gradHy', cell(2, 3, 4, 705, 'contiguous'), 'hy'),
  lstmBackwardCase('only gradCy', cell(1, 1, 4, 706, 'contiguous'), 'cy'),
];

export const gruCellCases = (): ConformanceCase[] => [
  gruCase('one row of one unit', cell(1, 1, 3, 710, 'contiguous')),
  gruCase('rows wider than a workgroup', cell(3, 130, 3, 711, 'contiguous')),
  gruCase('a step of a sequence, the state transposed', cell(4, 5, 3, 712, 'views')),
];

export const gruCellBackwardCases = (): ConformanceCase[] => [
  gruBackwardCase('rows wider than a workgroup, a gradient at an offset', cell(3, 130, 3, 713, 'contiguous')),
  gruBackwardCase('a broadcast gradient', cell(4, 5, 3, 714, 'views'), true),
];
