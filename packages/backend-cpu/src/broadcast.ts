import type { BinaryOp, DType, HostArray, NumberHostArray, Operand } from '@descent/backend';
import { binaryFn } from './elementwise.js';
import { FLOAT32_REPEATED_LEFT, FLOAT32_REPEATED_RIGHT } from './float32-loops.js';

/**
 * Binary ops where one operand is a single contiguous block repeated along the leading dims: a bias [C] added to
 * [N, C], a [32, 16] to [64, 32, 16]. The block is read in place instead of first being gathered into a full copy.
 */

/**
 * The block length when `x` is one contiguous block repeated along its leading dims (leading strides 0,
 * trailing dims row-major), otherwise 0. A contiguous view is one block of all its elements.
 */
export function repeatedBlock(x: Operand<HostArray>): number {
  const { shape, strides } = x.view;
  let d = shape.length - 1;
  let block = 1;
  for (; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (strides[d] !== block) break;
    block *= shape[d];
  }
  for (; d >= 0; d--) if (shape[d] !== 1 && strides[d] !== 0) return 0;
  return block;
}

/**
 * `out[i] = x[xo + i] op y[yo + i % period]` when `blockOnRight`, else `out[i] = y[yo + i % period] op x[xo + i]`.
 * float32 add/sub/mul/div get their own loops (float32-loops.ts); other ops and dtypes call the op's function.
 */
export function binaryRepeated(
  op: BinaryOp,
  dtype: DType,
  x: NumberHostArray,
  xo: number,
  y: NumberHostArray,
  yo: number,
  period: number,
  blockOnRight: boolean,
  out: NumberHostArray,
  n: number,
): void {
  const fast = dtype === 'float32' ? (blockOnRight ? FLOAT32_REPEATED_RIGHT : FLOAT32_REPEATED_LEFT)[op] : undefined;
  if (fast) return fast(x, xo, y, yo, period, out, n);
  const fn = binaryFn(op, dtype);
  if (blockOnRight) {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = fn(x[xo + s + j], y[yo + j]);
  } else {
    for (let s = 0; s < n; s += period) for (let j = 0; j < period; j++) out[s + j] = fn(y[yo + j], x[xo + s + j]);
  }
}

/**
 * `{ inner, period }` when `x` holds one value per run of `inner` output elements (trailing dims of stride 0),
 * those values forming one contiguous block of `period` repeated along the leading dims: a per-channel bias
 * [C, 1, 1] against [N, C, H, W]. Null otherwise (and where `repeatedBlock` already covers it, inner 1).
 */
export function channelBlock(x: Operand<HostArray>): { inner: number; period: number } | null {
  const { shape, strides } = x.view;
  let d = shape.length - 1;
  let inner = 1;
  for (; d >= 0 && (shape[d] === 1 || strides[d] === 0); d--) inner *= shape[d];
  if (inner === 1 || d < 0) return null;
  let period = 1;
  for (; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (strides[d] !== period) break;
    period *= shape[d];
  }
  for (; d >= 0; d--) if (shape[d] !== 1 && strides[d] !== 0) return null;
  return { inner, period };
}

/**
 * `out[i] = x[xo + i] op y[yo + c]` (or `y op x` when not `channelOnRight`) with `c = floor(i / inner) % period`:
 * each channel value read once per run, never materialized.
 */
export function binaryChannels(
  op: BinaryOp,
  dtype: DType,
  x: NumberHostArray,
  xo: number,
  y: NumberHostArray,
  yo: number,
  inner: number,
  period: number,
  channelOnRight: boolean,
  out: NumberHostArray,
  n: number,
): void {
  const fn = binaryFn(op, dtype);
  const float32Add = dtype === 'float32' && op === 'add';
  for (let s = 0; s < n; s += inner * period) {
    for (let c = 0; c < period; c++) {
      const v = y[yo + c];
      const base = s + c * inner;
      if (float32Add) for (let j = base; j < base + inner; j++) out[j] = x[xo + j] + v;
      else if (channelOnRight) for (let j = base; j < base + inner; j++) out[j] = fn(x[xo + j], v);
      else for (let j = base; j < base + inner; j++) out[j] = fn(v, x[xo + j]);
    }
  }
}
