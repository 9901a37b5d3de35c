import type { HostArray, NumberHostArray, Operand, ReduceOp } from '@descent/backend';
import { reduceBlocks } from './reduce.js';
import { flatData, flatStart } from './strided.js';
import { asWords, HI, int64Of, isSafeAt, LO, readWords, wordsOf, writeSafe } from './words.js';

/**
 * The reductions whose output is int64 (PyTorch's): sum and prod of integers and bools, which accumulate in
 * int64, exactly, wrapping past ±2^63; argmax and argmin of every dtype; and every reduction of an int64 input.
 */

/** Below this many elements of at most 2^31 in magnitude, a sum of numbers stays exact (under 2^52). */
const EXACT_RUN = 2 ** 21;

/** Block `o` of an int64 result: a safe number goes into the words, anything else through BigInt (wrapping). */
function store(result: BigInt64Array, words: Int32Array, o: number, value: number | bigint): void {
  if (typeof value === 'number') writeSafe(words, o, value);
  else result[o] = value;
}

/** Sum or product of `data[start, end)`, integers held in numbers (every integer dtype but int64, and bool). */
function accumulateNumbers(op: 'sum' | 'prod', data: NumberHostArray, start: number, end: number): number | bigint {
  if (op === 'sum') {
    let total: number | bigint = 0;
    for (let s = start; s < end; s += EXACT_RUN) {
      let acc = 0;
      const stop = Math.min(end, s + EXACT_RUN);
      for (let i = s; i < stop; i++) acc += data[i];
      total = typeof total === 'number' && Number.isSafeInteger(total + acc) ? total + acc : BigInt(total) + BigInt(acc);
    }
    return typeof total === 'number' ? total : BigInt.asIntN(64, total);
  }
  let acc = 1;
  for (let i = start; i < end; i++) {
    const next = acc * data[i];
    if (!Number.isSafeInteger(next)) return multiplyBig(BigInt(acc), data, i, end);
    acc = next;
  }
  return acc + 0; // no -0
}

function multiplyBig(acc: bigint, data: NumberHostArray, start: number, end: number): bigint {
  for (let i = start; i < end; i++) acc = BigInt.asIntN(64, acc * BigInt(data[i]));
  return acc;
}

/** Sum or product of int64 elements `[start, end)` of the words `w`. */
function accumulateWords(op: 'sum' | 'prod', w: Int32Array, big: BigInt64Array, start: number, end: number): number | bigint {
  let acc = op === 'sum' ? 0 : 1;
  for (let i = start; i < end; i++) {
    if (isSafeAt(w, i)) {
      const next = op === 'sum' ? acc + readWords(w, i) : acc * readWords(w, i);
      if (Number.isSafeInteger(next)) {
        acc = next;
        continue;
      }
    }
    let total = BigInt(acc);
    for (let j = i; j < end; j++) total = BigInt.asIntN(64, op === 'sum' ? total + big[j] : total * big[j]);
    return total;
  }
  return acc + 0;
}

/** -1, 0 or 1 as int64 element i compares with element j of the same words. */
function compareAt(w: Int32Array, i: number, j: number): number {
  const a = w[2 * i + HI];
  const b = w[2 * j + HI];
  if (a !== b) return a < b ? -1 : 1;
  const c = w[2 * i + LO] >>> 0;
  const d = w[2 * j + LO] >>> 0;
  return c === d ? 0 : c < d ? -1 : 1;
}

/** Position (from `start`) of the first largest (`sign` 1) or smallest (-1) int64 element of `[start, end)`. */
function extremeAt(w: Int32Array, start: number, end: number, sign: number): number {
  let at = start;
  for (let i = start + 1; i < end; i++) if (compareAt(w, i, at) * sign > 0) at = i;
  return at - start;
}

/**
 * Reduces blocks of `blockSize` consecutive elements of `x` (row-major) into an int64 buffer of `blocks`
 * elements, for the ops and dtypes above.
 */
export function reduceToInt64(op: ReduceOp, x: Operand<HostArray>, blockSize: number, blocks: number): BigInt64Array {
  const result = new BigInt64Array(blocks);
  const out = wordsOf(result);
  if (x.buffer instanceof BigInt64Array) {
    const words = asWords(x);
    const data = flatData(words) as Int32Array;
    const w = data.subarray(flatStart(words, data)); // starts at element 0, 8-byte aligned
    const big = int64Of(w);
    for (let o = 0; o < blocks; o++) {
      const start = o * blockSize;
      const end = start + blockSize;
      if (op === 'sum' || op === 'prod') store(result, out, o, accumulateWords(op, w, big, start, end));
      else if (op === 'argmax' || op === 'argmin') writeSafe(out, o, extremeAt(w, start, end, op === 'argmax' ? 1 : -1));
      else if (blockSize > 0) {
        const at = start + extremeAt(w, start, end, op === 'max' ? 1 : -1);
        out[2 * o] = w[2 * at];
        out[2 * o + 1] = w[2 * at + 1];
      }
    }
    return result;
  }
  const xn = x as Operand<NumberHostArray>;
  const data = flatData(xn);
  const offset = flatStart(xn, data);
  if (op === 'argmax' || op === 'argmin') {
    const positions = new Int32Array(blocks);
    reduceBlocks(op, widened(data), offset, blockSize, positions);
    // Positions are small and non-negative: the low word, and a zero high word (the fresh array's).
    for (let o = 0; o < blocks; o++) out[2 * o + LO] = positions[o];
    return result;
  }
  if (op !== 'sum' && op !== 'prod') throw new TypeError(`reduce ${op} of ${x.dtype} does not produce int64`);
  for (let o = 0; o < blocks; o++) {
    const start = offset + o * blockSize;
    store(result, out, o, accumulateNumbers(op, data, start, start + blockSize));
  }
  return result;
}

/**
 * int16 and int8 data as an Int32Array, so the shared reducers of reduce.ts only ever meet the array types of
 * float32, float64, int32 and bool/uint8 (and stay fast for them).
 */
export function widened(data: NumberHostArray): Exclude<NumberHostArray, Int16Array | Int8Array> {
  return data instanceof Int16Array || data instanceof Int8Array ? Int32Array.from(data) : data;
}
