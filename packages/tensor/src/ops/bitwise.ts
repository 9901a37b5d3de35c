import type { DType } from '@descent/backend';
import { isFloating, scalarTypeName } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { truncDivideIntegers } from './arithmetic.js';
import { where } from './indexing.js';
import { operands, resultType, type TensorLike } from './scalar.js';

// Bitwise and, or, xor and not. The backend has no bit operations, so integers are taken apart bit by bit with
// its truncating division (an arithmetic shift right, once corrected for negatives) and put back together with
// the two's-complement weights; bool operands use the logical ops. One pass per bit of the dtype.

const BITS: Partial<Record<DType, number>> = { uint8: 8, int8: 8, int16: 16, int32: 32, int64: 64 };

type Combine = 'and' | 'or' | 'xor';

function checkIntegral(name: string, dtype: DType): void {
  if (isFloating(dtype)) throw new TypeError(`"${name}_cpu" not implemented for '${scalarTypeName(dtype)}'`);
}

/** The lowest bit of `a` (0 or 1) and `a >> 1` (rounded toward negative infinity, as an arithmetic shift). */
function lowBit(a: Tensor): [Tensor, Tensor] {
  const q = truncDivideIntegers(a, 2);
  const r = a.sub(q.mul(2));
  return [r.abs(), where(r.lt(0), q.sub(1), q)];
}

function combineBits(a: Tensor, b: Tensor, op: Combine): Tensor {
  if (op === 'and') return a.mul(b);
  if (op === 'or') return a.maximum(b);
  return a.ne(b).to(a.dtype);
}

function bitwise(name: string, op: Combine, x: TensorLike, y: TensorLike): Tensor {
  const dtype = resultType(x, y);
  checkIntegral(name, dtype);
  let [a, b] = operands(x, y, dtype);
  if (dtype === 'bool') return op === 'and' ? a.logicalAnd(b) : op === 'or' ? a.logicalOr(b) : a.ne(b);
  const bits = BITS[dtype] as number;
  let out = a.mul(0).add(b.mul(0));
  for (let k = 0; k < bits; k++) {
    const [abit, aRest] = lowBit(a);
    const [bbit, bRest] = lowBit(b);
    [a, b] = [aRest, bRest];
    const sign = k === bits - 1 && dtype !== 'uint8';
    const weight = sign ? (dtype === 'int64' ? -(2n ** 63n) : -(2 ** k)) : dtype === 'int64' ? 2n ** BigInt(k) : 2 ** k;
    out = out.add(combineBits(abit, bbit, op).mul(weight));
  }
  return out;
}

export const bitwiseAnd = (a: TensorLike, b: TensorLike): Tensor => bitwise('bitwise_and', 'and', a, b);
export const bitwiseOr = (a: TensorLike, b: TensorLike): Tensor => bitwise('bitwise_or', 'or', a, b);
export const bitwiseXor = (a: TensorLike, b: TensorLike): Tensor => bitwise('bitwise_xor', 'xor', a, b);

/** `~x`: logical not for bool, `-x - 1` (two's complement, wrapping) for integers. */
export function bitwiseNot(x: Tensor): Tensor {
  checkIntegral('bitwise_not', x.dtype);
  return x.dtype === 'bool' ? x.logicalNot() : x.neg().sub(1);
}
