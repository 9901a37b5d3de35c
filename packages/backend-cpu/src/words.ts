import type { HostArray, NumberHostArray, Operand } from '@descent/backend';

/**
 * int64 buffers (BigInt64Array) seen as pairs of int32 words, so int64 kernels run on plain numbers: moving
 * data copies words, and arithmetic reads an element as a number whenever it is below 2^53 in magnitude, falling
 * back to BigInt only for the elements that need it. Reading a BigInt64Array element allocates a BigInt; a
 * word does not.
 */

/** 2^32, the weight of the high word. */
export const TWO32 = 4294967296;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Word positions of element `i`: low word at `2 * i + LO`, high (signed) word at `2 * i + HI`. */
export const LO = LITTLE_ENDIAN ? 0 : 1;
export const HI = 1 - LO;

/** A high word in [-2^21, 2^21) makes the element a safe integer (|x| < 2^53). */
export const SAFE_HI = 2097152;

/** The int32 words of an int64 array, sharing its memory. */
export function wordsOf(a: BigInt64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** The int64 array of words (an even number of them, 8-byte aligned), sharing its memory. */
export function int64Of(w: Int32Array): BigInt64Array {
  return new BigInt64Array(w.buffer, w.byteOffset, w.length >> 1);
}

/**
 * An int64 operand as an int32 operand with one more, innermost dim of 2 words: element strides double and the
 * offset doubles. Any kernel that only moves elements (copy, gather, where, strided reads) then runs on words.
 * `x` may also be a bool condition to broadcast over the words (`wordStride` 0).
 */
export function asWords(x: Operand<HostArray>, wordStride = 1): Operand<NumberHostArray> {
  const buffer = x.buffer instanceof BigInt64Array ? wordsOf(x.buffer) : x.buffer;
  const k = wordStride === 0 ? 1 : 2;
  return {
    buffer,
    dtype: x.dtype === 'int64' ? 'int32' : x.dtype,
    view: { shape: [...x.view.shape, 2], strides: [...x.view.strides.map((s) => s * k), wordStride], offset: x.view.offset * k },
  };
}

/** The number buffer of an operand the caller knows is not int64. */
export function numberBuffer(x: Operand<HostArray>): NumberHostArray {
  if (x.buffer instanceof BigInt64Array) throw new TypeError(`expected a ${x.dtype} buffer, got a BigInt64Array`);
  return x.buffer;
}

/** The operand itself, typed as a number operand, once the caller checked it is not int64. */
export function numberOperand(x: Operand<HostArray>): Operand<NumberHostArray> {
  numberBuffer(x);
  return x as Operand<NumberHostArray>;
}

/** Writes the safe integer `v` as element `i` of the words `w`. */
export function writeSafe(w: Int32Array, i: number, v: number): void {
  const hi = Math.floor(v / TWO32);
  w[2 * i + LO] = v - hi * TWO32; // in [0, 2^32): the store wraps it to the signed word
  w[2 * i + HI] = hi;
}

/** Element `i` of the words `w` as a number, exact when its high word is safe (|hi| < SAFE_HI). */
export function readWords(w: Int32Array, i: number): number {
  return w[2 * i + HI] * TWO32 + (w[2 * i + LO] >>> 0);
}

/** True when element `i` of the words `w` is a safe integer. */
export function isSafeAt(w: Int32Array, i: number): boolean {
  const hi = w[2 * i + HI];
  return hi >= -SAFE_HI && hi < SAFE_HI;
}
