import { numelOf, type NumberHostArray, type Operand } from '@descent/backend';
import { flatData, flatStart, isBroadcastScalar, numberArray } from './strided.js';

/**
 * `where(cond, a, b)` for every dtype but int64: a broadcast scalar branch (ReLU's backward picks between the
 * gradient and 0) is read once instead of being gathered into a full copy, and each case has its own loop.
 */
export function whereNumbers(
  cond: Operand<NumberHostArray>,
  a: Operand<NumberHostArray>,
  b: Operand<NumberHostArray>,
): NumberHostArray {
  const n = numelOf(cond.view.shape);
  const out = numberArray(a, n);
  const c = flatData(cond);
  const co = flatStart(cond, c);
  if (isBroadcastScalar(b)) {
    const x = flatData(a);
    const xo = flatStart(a, x);
    const s = b.buffer[b.view.offset];
    for (let i = 0; i < n; i++) out[i] = c[co + i] !== 0 ? x[xo + i] : s;
    return out;
  }
  if (isBroadcastScalar(a)) {
    const y = flatData(b);
    const yo = flatStart(b, y);
    const s = a.buffer[a.view.offset];
    for (let i = 0; i < n; i++) out[i] = c[co + i] !== 0 ? s : y[yo + i];
    return out;
  }
  const x = flatData(a);
  const xo = flatStart(a, x);
  const y = flatData(b);
  const yo = flatStart(b, y);
  for (let i = 0; i < n; i++) out[i] = c[co + i] !== 0 ? x[xo + i] : y[yo + i];
  return out;
}
