import { DTYPES, INTEGER_RANGE, type DType } from '@descent/backend';
import { checkedElement } from './convert.js';
import { run, type OpBody } from '../gate.js';
import * as k from '../kernels.js';
import type { Tensor } from '../tensor.js';

const castBody: OpBody<'cast', Tensor> = ([x], { dtype }) => k.cast(x, dtype);
/** One shared params object per dtype, so a cast allocates none. */
const PARAMS = new Map<DType, { readonly dtype: DType }>(DTYPES.map((dtype) => [dtype, { dtype }]));

/**
 * Whether casting `from` -> `to` can meet a value `to` cannot hold: floats into integers (NaN, inf, out of range),
 * wider integers into narrower ones. (Into bool and into floats every value has a result.)
 */
function mayOverflow(from: DType, to: DType): boolean {
  if (to === 'bool' || to === 'float32' || to === 'float64') return false;
  if (from === 'float32' || from === 'float64') return true;
  const [lo, hi] = INTEGER_RANGE[from] ?? [0, 1];
  const [toLo, toHi] = INTEGER_RANGE[to] ?? [0, 1];
  return lo < (to === 'uint8' ? -toHi : toLo) || hi > toHi;
}

/**
 * Raises PyTorch's overflow error when a value of `x` does not fit `dtype` (PyTorch itself wraps or gives an
 * arbitrary value there; Descent never returns a silently wrong value). Checked where values can be read at once (the
 * CPU); a GPU backend checks in its kernels.
 */
function checkFits(x: Tensor, dtype: DType): void {
  if (!x.device.supports('readSync') || !mayOverflow(x.dtype, dtype)) return;
  const values = x.dataSync();
  if (values instanceof BigInt64Array) {
    checkInt64Fits(values, dtype);
    return;
  }
  // Values plainly inside the range pass on two compares (NaN fails them); the rest, and the edges, get the exact check.
  const [lo, hi] = dtype === 'int64' ? [-(2 ** 63), 2 ** 63 - 1] : (INTEGER_RANGE[dtype] ?? [0, 0]);
  const low = (dtype === 'uint8' ? -hi : lo) - 1;
  const high = hi + 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v > low && v < high)) checkedElement(v, dtype);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * int64 values into a narrower integer dtype, read as int32 word pairs (a BigInt per element costs ~40 ns): an
 * element inside int32 has a high word equal to its low word's sign, then two compares; the rest get the exact check.
 */
function checkInt64Fits(values: BigInt64Array, dtype: DType): void {
  const words = new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
  const [lo, hi] = INTEGER_RANGE[dtype] ?? [0, 0];
  const low = dtype === 'uint8' ? -hi : lo;
  const [LO, HI] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  for (let i = 0; i < values.length; i++) {
    const v = words[2 * i + LO];
    if (words[2 * i + HI] !== v >> 31 || v < low || v > hi) checkedElement(values[i], dtype);
  }
}

/** `x.to(dtype)`: a copy in the new dtype; the same tensor when the dtype already matches. */
export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  checkFits(x, dtype);
  return run('cast', [x], PARAMS.get(dtype) ?? { dtype }, castBody);
}
