import { numelOf, type HostArray, type Operand } from '@descent/backend';
import { contiguousAny } from './strided.js';
import { LO, wordsOf } from './words.js';

/**
 * int64 indices sorting each row of the last axis, stable, NaN largest (PyTorch's order): a merge sort of the
 * row's positions by value (Array.prototype.sort is stable), ties broken by position.
 */
export function argsort(x: Operand<HostArray>, descending: boolean): BigInt64Array {
  const shape = x.view.shape;
  const n = shape.length === 0 ? 1 : shape[shape.length - 1];
  const total = numelOf(shape);
  const rows = n === 0 ? 0 : total / n;
  const data = contiguousAny(x);
  const out = new BigInt64Array(total);
  const words = wordsOf(out);
  const order = new Array<number>(n);
  const sign = descending ? -1 : 1;
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => sign * compare(data[base + a], data[base + b]) || a - b);
    // Positions are small and non-negative: the low word, with the high word left 0.
    for (let i = 0; i < n; i++) words[2 * (base + i) + LO] = order[i];
  }
  return out;
}

/** Ascending order with NaN after everything (bigints, from int64 rows, compare as they are). */
function compare(a: number | bigint, b: number | bigint): number {
  if (a !== a) return b !== b ? 0 : 1;
  if (b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}
