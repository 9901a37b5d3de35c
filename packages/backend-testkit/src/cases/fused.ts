/**
 * Cases for the optional fused methods, called exactly as the tensor layer calls them: `softmax` on a view whose
 * last axis is the softmax dim (permuted strides for any other dim), `crossEntropy` on [rows, classes] logits and
 * an int32 target, and `sgdUpdate`/`adamUpdate` in place on whole contiguous float32 buffers over several steps.
 */
import { numelOf, type AdamUpdate, type SgdUpdate } from '@descent/backend';
import { integers, reals } from '../data.js';
import type { Harness } from '../harness.js';
import { contiguous, logicalNumbers, strided, type StridedSpec } from '../layouts.js';
import type { OptionalMethod } from '../optional.js';
import {
  adamReference,
  crossEntropyReference,
  sgdReference,
  softmaxReference,
  type AdamReferenceState,
  type SgdReferenceState,
} from '../reference.js';
import type { ConformanceCase } from './case.js';
import { argsortCases } from './sort.js';
import { windowArgmaxCases } from './window-argmax.js';
import { unfoldMatmulCases } from './unfold-matmul.js';
import { gruCellBackwardCases, gruCellCases, lstmCellBackwardCases, lstmCellCases } from './rnn-cells.js';

const INF = Infinity;

// ---- softmax -------------------------------------------------------------------------------------------------

function softmaxCase(title: string[], x: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      for (const log of [false, true]) {
        const out = h.optional('softmax', (b) => b.softmax(h.input(x), log));
        const expected = softmaxReference(logicalNumbers(x), x.view.shape, log);
        await h.expectBuffer(`${log ? 'log-softmax' : 'softmax'} over the last axis`, out, {
          dtype: 'float32',
          shape: x.view.shape,
          values: expected.values,
          kind: 'transcendental',
          scale: expected.scale,
        });
      }
    },
  };
}

const SOFTMAX_SHAPES: readonly (readonly number[])[] = [[1], [5], [3, 7], [2, 1], [4, 65], [2, 3, 130], [2, 3, 2, 5]];

function softmaxCases(): ConformanceCase[] {
  const shaped = SOFTMAX_SHAPES.map((shape, i) =>
    softmaxCase([`shape [${shape.join(', ')}]`], contiguous('float32', reals(numelOf(shape), 300 + i), shape)),
  );
  const rows = (values: number[][]) => contiguous('float32', values.flat(), [values.length, values[0].length]);
  return [
    ...shaped,
    softmaxCase(['large logits (shifted by the row max)'], rows([[1e30, 3e30, -2e30], [88, 89, 90], [-100, -101, -1000]])),
    softmaxCase(['-Infinity entries give 0 (log: -Infinity)'], rows([[-INF, 0, 1], [2, -INF, -INF]])),
    softmaxCase(['a row of -Infinity, a NaN or +Infinity is NaN'], rows([[-INF, -INF, -INF], [1, NaN, 2], [0, INF, 1], [1, 2, 3]])),
    softmaxCase(['equal logits'], rows([[0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25]])),
    softmaxCase(['views', 'transposed (softmax along dim 0)'], strided('float32', reals(21, 310), [7, 3], { order: [1, 0], offset: 1 })),
    softmaxCase(['views', 'rank 3 permuted at an offset'], strided('float32', reals(60, 311), [3, 4, 5], { order: [2, 0, 1], offset: 2 })),
    softmaxCase(['views', 'stepped slice'], strided('float32', reals(18, 312), [3, 6], { step: 2, offset: 1 })),
    softmaxCase(['empty', 'no rows'], contiguous('float32', [], [0, 4])),
    softmaxCase(['empty', 'empty rows'], contiguous('float32', [], [3, 0])),
  ];
}

// ---- crossEntropy --------------------------------------------------------------------------------------------

function crossEntropyCase(title: string[], logits: StridedSpec, target: StridedSpec): ConformanceCase {
  return {
    title,
    run: async (h) => {
      const out = h.optional('crossEntropy', (b) => b.crossEntropy(h.input(logits), h.input(target)));
      const expected = crossEntropyReference(logicalNumbers(logits), logits.view.shape[1], logicalNumbers(target));
      await h.expectBuffer('per-row cross-entropy', out, {
        dtype: 'float32',
        shape: [logits.view.shape[0]],
        values: expected.values,
        kind: 'transcendental',
        scale: expected.scale,
      });
    },
  };
}

function crossEntropyCases(): ConformanceCase[] {
  const shapes: [number, number][] = [[1, 1], [1, 5], [4, 3], [7, 10], [3, 65], [2, 130]];
  const classTargets = (rows: number, classes: number, seed: number) => integers(rows, 0, classes - 1, seed);
  return [
    ...shapes.map(([rows, classes], i) =>
      crossEntropyCase(
        [`${rows} rows of ${classes} classes`],
        contiguous('float32', reals(rows * classes, 320 + i), [rows, classes]),
        contiguous('int32', classTargets(rows, classes, 330 + i), [rows]),
      ),
    ),
    crossEntropyCase(
      ['targets at the first and last class'],
      contiguous('float32', reals(12, 340), [4, 3]),
      contiguous('int32', [0, 2, 2, 0], [4]),
    ),
    crossEntropyCase(
      ['large logits (shifted by the row max)'],
      contiguous('float32', [1e30, 3e30, -2e30, 88, 89, 90, -100, -101, -1000], [3, 3]),
      contiguous('int32', [1, 0, 2], [3]),
    ),
    crossEntropyCase(
      ['-Infinity logits: Infinity at the target, NaN rows'],
      contiguous('float32', [-INF, 0, 1, 2, -INF, 3, 1, NaN, 2], [3, 3]),
      contiguous('int32', [0, 2, 1], [3]),
    ),
    crossEntropyCase(
      ['views', 'transposed logits at an offset, stepped target'],
      strided('float32', reals(35, 341), [5, 7], { order: [1, 0], offset: 2 }),
      strided('int32', classTargets(5, 7, 342), [5], { step: 2, offset: 1 }),
    ),
    crossEntropyCase(['empty batch'], contiguous('float32', [], [0, 4]), contiguous('int32', [], [0])),
  ];
}

// ---- sgdUpdate and adamUpdate ----------------------------------------------------------------------------------

/** Parameter sizes: one element, an odd count, and one past a 256-wide workgroup. */
const UPDATE_SIZES = [1, 7, 257];
const STEPS = 3;

/** Gradients with edge values: zeros, tiny and large magnitudes among ordinary ones. */
function gradients(n: number, seed: number): number[] {
  const edge = [0, 1e-3, -1e3, 0.5, -0, 65504];
  return reals(n, seed).map((v, i) => (i % 5 === 3 ? edge[(i + seed) % edge.length] : v));
}

async function expectState(h: Harness, what: string, buffer: unknown, values: readonly number[], scale: readonly number[]): Promise<void> {
  await h.expectBuffer(what, buffer, { dtype: 'float32', shape: [values.length], values, kind: 'optimizer', scale });
}

interface SgdConfig {
  readonly name: string;
  readonly h: Omit<SgdUpdate, 'firstStep'>;
  /** Start from an existing momentum buffer (a resumed run) instead of the first step. */
  readonly resume?: boolean;
}

const SGD_CONFIGS: readonly SgdConfig[] = [
  { name: 'plain', h: { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false } },
  { name: 'momentum', h: { lr: 0.01, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false } },
  { name: 'momentum, dampening, weight decay', h: { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false, maximize: false } },
  { name: 'nesterov, weight decay', h: { lr: 0.1, momentum: 0.8, dampening: 0, weightDecay: 1e-4, nesterov: true, maximize: false } },
  { name: 'maximize, momentum, resumed', h: { lr: 0.03, momentum: 0.5, dampening: 0.25, weightDecay: 0.02, nesterov: false, maximize: true }, resume: true },
  { name: 'maximize, weight decay, no momentum', h: { lr: 0.2, momentum: 0, dampening: 0, weightDecay: 0.1, nesterov: false, maximize: true } },
];

function sgdCase(config: SgdConfig, n: number, seed: number): ConformanceCase {
  return {
    title: [config.name, `${n} elements`],
    run: async (h) => {
      const hasMomentum = config.h.momentum !== 0;
      const state: SgdReferenceState = {
        param: reals(n, seed).map(Math.fround),
        momentumBuffer: hasMomentum ? (config.resume ? reals(n, seed + 1) : new Array<number>(n).fill(0)) : null,
      };
      const param = h.upload('float32', state.param);
      // A first step must ignore the buffer's old contents: the buffer is created from this step's gradient.
      const momentumBuffer = hasMomentum ? h.upload('float32', state.momentumBuffer && config.resume ? state.momentumBuffer : reals(n, seed + 2)) : null;
      const scale = new Array<number>(n).fill(0);
      for (let step = 0; step < STEPS; step++) {
        const grad = gradients(n, seed + 10 + step).map(Math.fround);
        const hyper: SgdUpdate = { ...config.h, firstStep: hasMomentum && !config.resume && step === 0 };
        h.optional('sgdUpdate', (b) => b.sgdUpdate(param, h.input(contiguous('float32', grad, [n])).buffer, momentumBuffer, n, hyper));
        sgdReference(state, grad, hyper, scale);
      }
      await expectState(h, `param after ${STEPS} steps`, param, state.param, scale);
      if (momentumBuffer && state.momentumBuffer) await expectState(h, `momentum buffer after ${STEPS} steps`, momentumBuffer, state.momentumBuffer, scale);
    },
  };
}

interface AdamConfig {
  readonly name: string;
  readonly h: Omit<AdamUpdate, 'step'>;
  /** Start from existing moments at step 11 (a resumed run) instead of zeros at step 1. */
  readonly resume?: boolean;
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false };

const ADAM_CONFIGS: readonly AdamConfig[] = [
  { name: 'Adam', h: ADAM },
  { name: 'Adam, L2 weight decay', h: { ...ADAM, lr: 0.01, weightDecay: 0.01 } },
  { name: 'AdamW', h: { ...ADAM, lr: 0.01, weightDecay: 0.01, decoupled: true } },
  { name: 'Adam, amsgrad, resumed', h: { ...ADAM, lr: 0.01, beta1: 0.5, beta2: 0.6, amsgrad: true }, resume: true },
  { name: 'AdamW, amsgrad, maximize', h: { ...ADAM, lr: 0.005, weightDecay: 0.1, decoupled: true, amsgrad: true, maximize: true } },
  { name: 'Adam, maximize, weight decay, resumed', h: { ...ADAM, lr: 0.01, beta1: 0.8, beta2: 0.9, eps: 1e-6, weightDecay: 0.05, maximize: true }, resume: true },
];

function adamCase(config: AdamConfig, n: number, seed: number): ConformanceCase {
  return {
    title: [config.name, `${n} elements`],
    run: async (h) => {
      const zeros = () => new Array<number>(n).fill(0);
      const squares = (s: number) => reals(n, s).map((v) => Math.fround(v * v));
      const expAvgSq = config.resume ? squares(seed + 2) : zeros();
      const state: AdamReferenceState = {
        param: reals(n, seed).map(Math.fround),
        expAvg: config.resume ? reals(n, seed + 1) : zeros(),
        expAvgSq,
        maxExpAvgSq: config.h.amsgrad ? (config.resume ? expAvgSq.map((v, i) => Math.max(v, squares(seed + 3)[i])) : zeros()) : null,
      };
      const upload = (values: readonly number[]) => h.upload('float32', values);
      const [param, expAvg, expAvgSqBuffer] = [upload(state.param), upload(state.expAvg), upload(state.expAvgSq)];
      const maxExpAvgSq = state.maxExpAvgSq ? upload(state.maxExpAvgSq) : null;
      const scale = new Array<number>(n).fill(0);
      const first = config.resume ? 11 : 1;
      for (let step = first; step < first + STEPS; step++) {
        const grad = gradients(n, seed + 10 + step).map(Math.fround);
        const hyper: AdamUpdate = { ...config.h, step };
        h.optional('adamUpdate', (b) => b.adamUpdate(param, h.input(contiguous('float32', grad, [n])).buffer, expAvg, expAvgSqBuffer, maxExpAvgSq, n, hyper));
        adamReference(state, grad, hyper, scale);
      }
      await expectState(h, `param after ${STEPS} steps`, param, state.param, scale);
      await expectState(h, `exp_avg after ${STEPS} steps`, expAvg, state.expAvg, scale);
      await expectState(h, `exp_avg_sq after ${STEPS} steps`, expAvgSqBuffer, state.expAvgSq, scale);
      if (maxExpAvgSq && state.maxExpAvgSq) await expectState(h, `max_exp_avg_sq after ${STEPS} steps`, maxExpAvgSq, state.maxExpAvgSq, scale);
    },
  };
}

/** numel 0 is a no-op that must not fail (a parameter with an empty shape). */
function emptyUpdateCase(method: 'sgdUpdate' | 'adamUpdate'): ConformanceCase {
  return {
    title: ['0 elements'],
    run: async (h) => {
      const [param, grad, a, b] = [0, 1, 2, 3].map(() => h.upload('float32', []));
      if (method === 'sgdUpdate') {
        h.optional('sgdUpdate', (x) => x.sgdUpdate(param, grad, a, 0, { ...SGD_CONFIGS[1].h, firstStep: true }));
      } else {
        h.optional('adamUpdate', (x) => x.adamUpdate(param, grad, a, b, null, 0, { ...ADAM, step: 1 }));
      }
      await h.read(param, 'float32', 0);
    },
  };
}

const sgdCases = (): ConformanceCase[] => [
  ...SGD_CONFIGS.flatMap((config, c) => UPDATE_SIZES.map((n, s) => sgdCase(config, n, 400 + 10 * c + s))),
  emptyUpdateCase('sgdUpdate'),
];

const adamCases = (): ConformanceCase[] => [
  ...ADAM_CONFIGS.flatMap((config, c) => UPDATE_SIZES.map((n, s) => adamCase(config, n, 500 + 10 * c + s))),
  emptyUpdateCase('adamUpdate'),
];

/** The cases of each optional method, registered under the method's name. */
export const OPTIONAL_CASES: Record<OptionalMethod, () => ConformanceCase[]> = {
  softmax: softmaxCases,
  crossEntropy: crossEntropyCases,
  argsort: argsortCases,
  windowArgmax: windowArgmaxCases,
  unfoldMatmul: unfoldMatmulCases('unfoldMatmul'),
  unfoldMatmulWeightGrad: unfoldMatmulCases('unfoldMatmulWeightGrad'),
  unfoldMatmulInputGrad: unfoldMatmulCases('unfoldMatmulInputGrad'),
  lstmCell: lstmCellCases,
  lstmCellBackward: lstmCellBackwardCases,
  gruCell: gruCellCases,
  gruCellBackward: gruCellBackwardCases,
  sgdUpdate: sgdCases,
  adamUpdate: adamCases,
};
