/** Scalar math that JavaScript lacks, accurate to double precision (float32 results round once, on store). */

const SQRT_PI = Math.sqrt(Math.PI);

/** The error function: a Taylor series near 0, a continued fraction for erfc in the tails. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax >= 6) return x > 0 ? 1 : -1;
  if (ax < 2.5) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 100; n++) {
      term *= -x2 / n;
      const next = term / (2 * n + 1);
      sum += next;
      if (Math.abs(next) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / SQRT_PI) * sum;
  }
  // erfc(x) = exp(-x^2) / sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated from the tail.
  let k = ax;
  for (let n = 80; n >= 1; n--) k = ax + n / 2 / k;
  const erfc = Math.exp(-ax * ax) / (SQRT_PI * k);
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** Round half to even, as torch.round does. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** C's pow, as PyTorch computes it: unlike Math.pow, pow(1, y) = 1 and pow(-1, +-inf) = 1 even for NaN or infinite y. */
export function floatPow(base: number, exp: number): number {
  if (base === 1 || (base === -1 && (exp === Infinity || exp === -Infinity))) return 1;
  return Math.pow(base, exp);
}

/** Integer power with wrap-around, as int32 tensors compute it (negative exponents are rejected above us). */
export function intPow(base: number, exp: number): number {
  let result = 1;
  let b = base | 0;
  let e = exp | 0;
  if (e < 0) return base === 1 ? 1 : base === -1 ? (e % 2 === 0 ? 1 : -1) : 0;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
    e >>>= 1;
  }
  return result;
}
