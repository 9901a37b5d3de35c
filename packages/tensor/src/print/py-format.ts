// Python's float formatting ('{:.Nf}', '{:.Ne}') reproduced digit for digit.
//
// Python formats the exact binary value of a double and rounds half to even. JavaScript's toFixed and
// toExponential round exact ties away from zero (0.03125.toFixed(4) is '0.0313', Python says '0.0312'),
// drop the sign of -0, and toFixed switches to exponent notation from 1e21 on. So the digits are
// computed here from the double's exact rational value with BigInt arithmetic.

const TEN = 10n;

/** |x| as the exact fraction num / den (x finite and nonzero). */
function exactFraction(x: number): { num: bigint; den: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent = -1074; // subnormal
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return exponent >= 0
    ? { num: mantissa << BigInt(exponent), den: 1n }
    : { num: mantissa, den: 1n << BigInt(-exponent) };
}

/** num / den rounded to an integer, ties to even (Python's rounding of decimal output). */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twiceRem = (num % den) * 2n;
  if (twiceRem > den || (twiceRem === den && q % 2n === 1n)) return q + 1n;
  return q;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

/** Python spells non-finite values 'nan', 'inf', '-inf' in both 'f' and 'e' formats. */
function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** Python's `'{:.<digits>f}'.format(x)`. */
export function pyFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = isNegative(x) ? '-' : '';
  let scaled = 0n;
  if (x !== 0) {
    const { num, den } = exactFraction(x);
    scaled = roundHalfEven(num * TEN ** BigInt(digits), den);
  }
  if (digits === 0) return sign + scaled.toString();
  const s = scaled.toString().padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

/** Python's `'{:.<digits>e}'.format(x)`: the exponent has a sign and at least two digits. */
export function pyExp(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const sign = isNegative(x) ? '-' : '';
  let mantissa = 0n;
  let exp10 = 0;
  if (x !== 0) {
    const { num, den } = exactFraction(x);
    // Find exp10 with 10^exp10 <= |x| < 10^(exp10+1); log10 is only a first guess.
    exp10 = Math.floor(Math.log10(Math.abs(x)));
    const lower = TEN ** BigInt(digits);
    const upper = lower * TEN;
    const scaledFloor = (e: number): bigint => {
      const k = digits - e;
      return k >= 0 ? (num * TEN ** BigInt(k)) / den : num / (den * TEN ** BigInt(-k));
    };
    for (;;) {
      const q = scaledFloor(exp10);
      if (q < lower) exp10 -= 1;
      else if (q >= upper) exp10 += 1;
      else break;
    }
    const k = digits - exp10;
    mantissa = k >= 0 ? roundHalfEven(num * TEN ** BigInt(k), den) : roundHalfEven(num, den * TEN ** BigInt(-k));
    // Rounding up can carry into a new digit (9.99995 -> 10.0000): renormalise.
    if (mantissa === upper) {
      mantissa = lower;
      exp10 += 1;
    }
  }
  const m = mantissa.toString().padStart(digits + 1, '0');
  const body = digits === 0 ? m : `${m[0]}.${m.slice(1)}`;
  const expSign = exp10 < 0 ? '-' : '+';
  return `${sign}${body}e${expSign}${String(Math.abs(exp10)).padStart(2, '0')}`;
}
