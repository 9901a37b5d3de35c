import { numelOf, type NumberHostArray, type Operand } from '@descent/backend';
import { WASM_ELEMENTWISE_MIN } from './elementwise.js';
import { outputArray } from './output-array.js';
import { flatData, flatStart, isBroadcastScalar } from './strided.js';
import { wasmWhereF32 } from './wasm/wasm-select.js';

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
  const out = outputArray(a.dtype, n);
  const c = flatData(cond);
  const co = flatStart(cond, c);
  const simd = n >= WASM_ELEMENTWISE_MIN && out instanceof Float32Array && c instanceof Uint8Array;
  if (isBroadcastScalar(b)) {
    const x = flatData(a);
    const xo = flatStart(a, x);
    if (simd && wasmWhereF32('vs', c, co, x as Float32Array, xo, b.buffer as Float32Array, b.view.offset, out, n)) return out;
    const s = b.buffer[b.view.offset];
    for (let i = 0; i < n; i++) out[i] = c[co + i] !== 0 ? x[xo + i] : s;
    return out;
  }
  if (isBroadcastScalar(a)) {
    const y = flatData(b);
    const yo = flatStart(b, y);
    if (simd && wasmWhereF32('sv', c, co, a.buffer as Float32Array, a.view.offset, y as Float32Array, yo, out, n)) return out;
    const s = a.buffer[a.view.offset];
    for (let i = 0; i < n; i++) out[i] = c[co + i] !== 0 ? s : y[yo + i];
    return out;
  }
  const x = flatData(a);
  const xo = flatStart(a, x);
  const y = flatData(b);
  const yo = flatStart(b, y);
  if (simd && wasmWhereF32('vv', c, co, x as Float32Array, xo, y as Float32Array, yo, out, n)) return out;
  for (let i = 0; i < n; i++) out[i] = c[co + i] !== 0 ? x[xo + i] : y[yo + i];
  return out;
}
