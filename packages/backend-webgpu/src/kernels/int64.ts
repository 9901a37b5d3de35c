import type { BinaryOp, DType, ReduceOp, UnaryOp } from '@descent/backend';
import { statusWgsl } from './status.js';

/**
 * int64 on WebGPU is stored as i32 (WGSL has no 64-bit integers), and never wraps where PyTorch's int64 would not:
 *
 * - One op on int32-range values (add, sub, mul, div, neg, abs) has an exact int64 result; the checked functions
 *   below return it when it fits in int32 and otherwise set a flag.
 * - Where intermediates can leave int32 (sum, prod, pow, matmul, scatterAdd), the kernel computes in 64-bit two's
 *   complement, emulated as `vec2<u32>(low, high)`, which is PyTorch's int64 arithmetic bit for bit (including its
 *   own wrap at 2^64); only the final result is narrowed, flagging when it does not fit. So `[2^31 - 1, 1, -2].sum()`
 *   is exact although a partial sum left int32.
 *
 * The flag is word 1 of the op's fault slot (./status.ts). The backend reads it at the next read or sync and fails
 * the op's output there, the way an out-of-range gather index is reported, so a wrapped int64 is never returned.
 * Everything uses wrapping u32/i32 arithmetic, which WGSL defines for runtime values.
 */

/** The word of the fault slot (./status.ts) that a failed narrowing flags. */
export const OVERFLOW_WORD = 1;

/** The fault slot binding and the int64 helpers, for a shader that binds the slot at `binding`. */
export function int64Wgsl(binding: number): string {
  return /* wgsl */ `
${statusWgsl(binding)}
const I64_LOW = -2147483647 - 1;
fn overflow_i64() { atomicOr(&status[${OVERFLOW_WORD}u], 1u); }
fn add_i64(a: i32, b: i32) -> i32 { let r = a + b; if (((a ^ r) & (b ^ r)) < 0) { overflow_i64(); } return r; }
fn sub_i64(a: i32, b: i32) -> i32 { let r = a - b; if (((a ^ b) & (a ^ r)) < 0) { overflow_i64(); } return r; }
fn mul_i64(a: i32, b: i32) -> i32 { return narrow64(mul64(wide64(a), wide64(b))); }
fn div_i64(a: i32, b: i32) -> i32 {
  if (a == I64_LOW && b == -1) { overflow_i64(); }
  return select(a / b, 0, b == 0);
}
fn abs_i64(x: i32) -> i32 { if (x == I64_LOW) { overflow_i64(); } return abs(x); }
// float32 to int64: exact inside int32; NaN and values past it (PyTorch's int64 would hold them) flag.
fn f32_to_i64(x: f32) -> i32 {
  if (x >= -2147483648.0 && x < 2147483648.0) { return i32(trunc(x)); }
  overflow_i64();
  return 0;
}
// 64-bit two's complement as vec2u(low word, high word).
fn wide64(v: i32) -> vec2u { return vec2u(bitcast<u32>(v), select(0u, 0xffffffffu, v < 0)); }
fn add64(a: vec2u, b: vec2u) -> vec2u { let lo = a.x + b.x; return vec2u(lo, a.y + b.y + select(0u, 1u, lo < a.x)); }
// The full 64-bit product of two u32, from 16-bit halves.
fn mul32x32(a: u32, b: u32) -> vec2u {
  let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return vec2u((p00 & 0xffffu) | (mid << 16u), a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u));
}
// Product modulo 2^64, which is the signed product for two's complement operands.
fn mul64(a: vec2u, b: vec2u) -> vec2u { let p = mul32x32(a.x, b.x); return vec2u(p.x, p.y + a.x * b.y + a.y * b.x); }
// The int64 as an i32, flagging when it does not fit.
fn narrow64(w: vec2u) -> i32 {
  let lo = bitcast<i32>(w.x);
  if (w.y != select(0u, 0xffffffffu, lo < 0)) { overflow_i64(); }
  return lo;
}
fn pow_i64(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, b % 2 == 0), a == -1), 1, a == 1); }
  var result = vec2u(1u, 0u);
  var base = wide64(a);
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { result = mul64(result, base); }
    base = mul64(base, base);
    e = e >> 1u;
  }
  return narrow64(result);
}
`;
}

/** The unary ops whose int64 result can leave int32, as checked WGSL on `x`. */
export const CHECKED_UNARY: Partial<Record<UnaryOp, string>> = { neg: 'sub_i64(0, x)', abs: 'abs_i64(x)' };

/** The binary ops whose int64 result can leave int32, as checked WGSL on `a`, `b`. */
export const CHECKED_BINARY: Partial<Record<BinaryOp, string>> = {
  add: 'add_i64(a, b)',
  sub: 'sub_i64(a, b)',
  mul: 'mul_i64(a, b)',
  div: 'div_i64(a, b)',
  pow: 'pow_i64(a, b)',
};

/** Whether a unary op on `dtype` runs checked (and so binds a fault slot). */
export function checksUnary(op: UnaryOp, dtype: DType): boolean {
  return dtype === 'int64' && CHECKED_UNARY[op] !== undefined;
}

export function checksBinary(op: BinaryOp, dtype: DType): boolean {
  return dtype === 'int64' && CHECKED_BINARY[op] !== undefined;
}

export function checksCast(from: DType, to: DType): boolean {
  return to === 'int64' && from === 'float32';
}

/**
 * sum and prod of integers and bools (int64 results, PyTorch's `reduceOutputDType`) run in ./int64-reduce.ts;
 * max, min, argmax and argmin are exact in the ordinary kernel.
 */
export function checksReduce(op: ReduceOp, dtype: DType): op is 'sum' | 'prod' {
  return (op === 'sum' || op === 'prod') && dtype !== 'float32' && dtype !== 'float64';
}
