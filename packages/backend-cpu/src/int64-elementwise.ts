import { numelOf, type BinaryOp, type HostArray, type Operand, type UnaryOp } from '@descent/backend';
import { unaryFn } from './elementwise.js';
import { flatData, flatStart } from './strided.js';
import { asWords, HI, int64Of, isSafeAt, LO, readWords, TWO32, wordsOf, writeSafe } from './words.js';

/**
 * int64 elementwise ops on words (see words.ts), exact to ±2^63 and wrapping past it like C++'s int64_t: add and
 * sub carry between the words, mul runs in numbers while the product is below 2^53 and in BigInt past it, div
 * and pow run in BigInt, comparisons and maximum/minimum compare words.
 */

/** An int64 operand's elements in row-major order: words, and the word where element 0 starts. */
function flatWords(x: Operand<HostArray>): { w: Int32Array; base: number } {
  const words = asWords(x);
  const data = flatData(words) as Int32Array;
  return { w: data, base: flatStart(words, data) };
}

/** -x in two's complement, from the words of x. */
function negate(lo: number, hi: number, out: Int32Array, o: number): void {
  out[o + LO] = -lo | 0;
  out[o + HI] = (lo === 0 ? -hi : ~hi) | 0;
}

export function unaryInt64(op: UnaryOp, x: Operand<HostArray>): HostArray {
  unaryFn(op, 'int64'); // throws for the ops PyTorch only defines on floats
  const n = numelOf(x.view.shape);
  const { w, base } = flatWords(x);
  if (op === 'logicalNot') {
    const out = new Uint8Array(n);
    for (let i = 0, p = base; i < n; i++, p += 2) out[i] = (w[p] | w[p + 1]) === 0 ? 1 : 0;
    return out;
  }
  const result = new BigInt64Array(n);
  const out = wordsOf(result);
  for (let i = 0, p = base, o = 0; i < n; i++, p += 2, o += 2) {
    const lo = w[p + LO];
    const hi = w[p + HI];
    if (op === 'neg' || (op === 'abs' && hi < 0)) negate(lo, hi, out, o);
    else if (op === 'sign') {
      out[o + LO] = hi < 0 ? -1 : (lo | hi) !== 0 ? 1 : 0;
      out[o + HI] = hi < 0 ? -1 : 0;
    } else if (op === 'relu' && hi < 0) {
      out[o + LO] = 0;
      out[o + HI] = 0;
    } else {
      out[o + LO] = lo; // abs and relu of a non-negative value; floor, ceil and round of an integer
      out[o + HI] = hi;
    }
  }
  return result;
}

/** -1, 0 or 1 as element i of x compares with element j of y (signed high words, unsigned low words). */
function compare(x: Int32Array, i: number, y: Int32Array, j: number): number {
  const xh = x[i + HI];
  const yh = y[j + HI];
  if (xh !== yh) return xh < yh ? -1 : 1;
  const xl = x[i + LO] >>> 0;
  const yl = y[j + LO] >>> 0;
  return xl === yl ? 0 : xl < yl ? -1 : 1;
}

const COMPARE: Partial<Record<BinaryOp, (c: number) => boolean>> = {
  eq: (c) => c === 0,
  ne: (c) => c !== 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
};

/** C++'s integer pow (PyTorch's powi): square and multiply, wrapping; negative exponents give 0 unless |base| is 1. */
export function powInt64(base: bigint, exp: bigint): bigint {
  if (exp < 0n) return base === 1n ? 1n : base === -1n ? (exp % 2n === 0n ? 1n : -1n) : 0n;
  let result = 1n;
  let b = base;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = BigInt.asIntN(64, result * b);
    b = BigInt.asIntN(64, b * b);
  }
  return result;
}

const BIG: Partial<Record<BinaryOp, (a: bigint, b: bigint) => bigint>> = {
  mul: (a, b) => a * b,
  div: (a, b) => (b === 0n ? 0n : a / b), // BigInt division truncates toward zero; a zero divisor raises above us
  pow: powInt64,
};

export function binaryInt64(op: BinaryOp, a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
  const n = numelOf(a.view.shape);
  const { w: x, base: xb } = flatWords(a);
  const { w: y, base: yb } = flatWords(b);
  const test = COMPARE[op];
  if (test) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = test(compare(x, xb + 2 * i, y, yb + 2 * i)) ? 1 : 0;
    return out;
  }
  const result = new BigInt64Array(n);
  const out = wordsOf(result);
  if (op === 'add' || op === 'sub') addWords(op === 'sub', x, xb, y, yb, out, n);
  else if (op === 'maximum' || op === 'minimum') {
    const sign = op === 'maximum' ? 1 : -1;
    for (let i = 0, o = 0; i < n; i++, o += 2) {
      const takeX = compare(x, xb + o, y, yb + o) * sign >= 0;
      out[o] = takeX ? x[xb + o] : y[yb + o];
      out[o + 1] = takeX ? x[xb + o + 1] : y[yb + o + 1];
    }
  } else {
    const big = BIG[op];
    if (!big) throw new TypeError(`binary ${op} is not defined for int64`);
    const xs = int64Of(x);
    const ys = int64Of(y);
    for (let i = 0; i < n; i++) {
      const p = xb / 2 + i;
      const q = yb / 2 + i;
      if (op === 'mul' && isSafeAt(x, p) && isSafeAt(y, q)) {
        const r = readWords(x, p) * readWords(y, q);
        if (Number.isSafeInteger(r)) {
          writeSafe(out, i, r);
          continue;
        }
      }
      result[i] = big(xs[p], ys[q]); // the store wraps to 64 bits
    }
  }
  return result;
}

/** x + y or x - y on words: the low words add as unsigned numbers and carry (or borrow) into the high words. */
function addWords(subtract: boolean, x: Int32Array, xb: number, y: Int32Array, yb: number, out: Int32Array, n: number): void {
  for (let i = 0, o = 0; i < n; i++, o += 2) {
    const xl = x[xb + o + LO] >>> 0;
    const yl = y[yb + o + LO] >>> 0;
    const xh = x[xb + o + HI];
    const yh = y[yb + o + HI];
    if (subtract) {
      const lo = xl - yl;
      out[o + LO] = lo;
      out[o + HI] = (xh - yh - (lo < 0 ? 1 : 0)) | 0;
    } else {
      const lo = xl + yl;
      out[o + LO] = lo;
      out[o + HI] = (xh + yh + (lo >= TWO32 ? 1 : 0)) | 0;
    }
  }
}
