import type { BinaryOp, NumberHostArray, UnaryOp } from '@descent/backend';

/**
 * Dedicated float32 loops for the ops training spends its time in: one function literal per op, so each loop's
 * arithmetic inlines and its call sites see one array type, instead of calling an op's function per element
 * through a shared loop (measured: a ReLU backward's comparison took 14 ns per element that way). Each computes
 * exactly the expression of the op's scalar function in elementwise.ts, so results are bit-identical. Comparisons
 * store `+(a < b)`, which compiles without a branch: on random signs the branchy `a < b ? 1 : 0` was 4x slower
 * (185 against 48 µs for 32K floats, mispredictions).
 */

type A = NumberHostArray;
export type VectorLoop = (x: A, xo: number, y: A, yo: number, out: A, n: number) => void;
export type ScalarLoop = (x: A, xo: number, s: number, out: A, n: number) => void;
export type UnaryLoop = (x: A, xo: number, out: A, n: number) => void;

/** `out[i] = x[xo + i] op y[yo + i]`. */
export const FLOAT32_LOOPS: Partial<Record<BinaryOp, VectorLoop>> = {
  add: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] + y[yo + i];
  },
  sub: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] - y[yo + i];
  },
  mul: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] * y[yo + i];
  },
  div: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] / y[yo + i];
  },
  eq: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] === y[yo + i]);
  },
  ne: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] !== y[yo + i]);
  },
  lt: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] < y[yo + i]);
  },
  le: (x, xo, y, yo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] <= y[yo + i]);
  },
};

/** `out[i] = x[xo + i] op s`. */
export const FLOAT32_SCALAR_RIGHT: Partial<Record<BinaryOp, ScalarLoop>> = {
  add: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] + s;
  },
  sub: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] - s;
  },
  mul: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] * s;
  },
  div: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = x[xo + i] / s;
  },
  eq: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] === s);
  },
  ne: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] !== s);
  },
  lt: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] < s);
  },
  le: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(x[xo + i] <= s);
  },
};

/** `out[i] = s op x[xo + i]` (the tensor layer's `x > 0` is `lt(0, x)`). */
export const FLOAT32_SCALAR_LEFT: Partial<Record<BinaryOp, ScalarLoop>> = {
  sub: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = s - x[xo + i];
  },
  div: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = s / x[xo + i];
  },
  lt: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(s < x[xo + i]);
  },
  le: (x, xo, s, out, n) => {
    for (let i = 0; i < n; i++) out[i] = +(s <= x[xo + i]);
  },
};

/** `out[i] = op(x[xo + i])`. */
export const FLOAT32_UNARY: Partial<Record<UnaryOp, UnaryLoop>> = {
  neg: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = -x[xo + i];
  },
  abs: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.abs(x[xo + i]);
  },
  relu: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) {
      const v = x[xo + i];
      out[i] = v < 0 ? 0 : v;
    }
  },
  exp: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.exp(x[xo + i]);
  },
  log: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.log(x[xo + i]);
  },
  sqrt: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[xo + i]);
  },
  tanh: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = Math.tanh(x[xo + i]);
  },
  sigmoid: (x, xo, out, n) => {
    for (let i = 0; i < n; i++) out[i] = 1 / Math.fround(1 + Math.fround(Math.exp(-x[xo + i])));
  },
};

export type RepeatedLoop = (x: A, xo: number, y: A, yo: number, period: number, out: A, n: number) => void;

/** `out[i] = x[xo + i] op y[yo + i % period]`: a bias row added to every row, and the like. */
export const FLOAT32_REPEATED_RIGHT: Partial<Record<BinaryOp, RepeatedLoop>> = {
  add: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = x[xo + s + j] + y[yo + j];
  },
  sub: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = x[xo + s + j] - y[yo + j];
  },
  mul: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = x[xo + s + j] * y[yo + j];
  },
  div: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = x[xo + s + j] / y[yo + j];
  },
};

/** `out[i] = y[yo + i % period] op x[xo + i]`: the repeated block on the left. */
export const FLOAT32_REPEATED_LEFT: Partial<Record<BinaryOp, RepeatedLoop>> = {
  add: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = y[yo + j] + x[xo + s + j];
  },
  sub: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = y[yo + j] - x[xo + s + j];
  },
  mul: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = y[yo + j] * x[xo + s + j];
  },
  div: (x, xo, y, yo, period, out, n) => {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = y[yo + j] / x[xo + s + j];
  },
};
