/** Deterministic test data, so a failure reproduces and its message names the same values every run. */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
/** 2^53 as a bigint: int64 values past it are not exact as numbers. */
export const TWO53 = 2n ** 53n;

/** A small linear congruential stream: `count` integers in [lo, hi], fixed by `seed`. */
export function integers(count: number, lo: number, hi: number, seed = 1): number[] {
  let state = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.push(lo + ((state >>> 8) % (hi - lo + 1))); // the low bits of an LCG cycle quickly
  }
  return out;
}

/**
 * float32 values in about [-4, 4] with at most 4 fractional bits: sums of a few thousand of them are exact in
 * float32 whatever the order, so reductions compare tightly on any backend.
 */
export function dyadic(count: number, seed = 1): number[] {
  return integers(count, -64, 64, seed).map((v) => v / 16);
}

/** float32 values in about [-3, 3] with full mantissas, for transcendental ops and tolerance-based matmul. */
export function reals(count: number, seed = 1): number[] {
  return integers(count, -3_000_000, 3_000_000, seed).map((v) => Math.fround(v / 1_000_000));
}

/** 0/1 values for bool tensors. */
export function booleans(count: number, seed = 1): number[] {
  return integers(count, 0, 1, seed);
}

/** Row-major 0, 1, 2, ... */
export function iota(count: number, start = 0): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}
