/**
 * Float32 arithmetic helpers shared by the samplers and the normal kernels.
 */

/** Rounds a double to the nearest float32 (`Math.fround`). */
export const f32 = Math.fround;

/**
 * Single-rounding float32 fused multiply-add `fmaf(a, b, c)` for float32 inputs.
 * `a*b` is exact in double (24+24 bits); `s = a*b + c` is rounded once to double, and rounding
 * that to float32 can only go wrong when `s` lands exactly on a float32 midpoint, which is
 * detected and fixed using the exact error of the double addition.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = f32(s);
  const o = 2 * s - r; // the other float neighbour when s is a midpoint
  if (f32(o) !== o || o === r) return r;
  return fmafMidpoint(p, c, s, r, o);
}

function fmafMidpoint(p: number, c: number, s: number, r: number, o: number): number {
  const bb = s - p;
  const err = p - (s - bb) + (c - bb); // exact: (p + c) - s
  if (err === 0) return r; // a true tie: round-half-even already chosen by fround
  return err > 0 ? Math.max(r, o) : Math.min(r, o);
}
