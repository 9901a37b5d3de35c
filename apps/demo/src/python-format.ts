/**
 * Python's float formatting, so the demo prints the notebooks' lines character for character.
 *
 * JavaScript differs in two places: `toFixed` rounds exact ties away from zero where Python rounds them to even
 * (`f'{0.125:.2f}'` is `0.12`), and `String(x)` switches to exponents at other thresholds than `repr(x)` and drops
 * the `.0` of whole numbers (`1e-05` and `2.0` in Python, `0.00001` and `2` in JavaScript).
 */

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** Adds one to the last digit of a string of decimal digits, carrying as needed ("0999" -> "1000"). */
function incrementDigits(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return '1' + out.join('');
}

/** Python's `format(x, '.{digits}f')`: fixed point, exact ties rounded to even, the sign of -0.0 kept. */
export function formatFixed(x: number, digits: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new RangeError(`formatFixed: digits must be 0..20, got ${digits}`);
  const negative = x < 0 || Object.is(x, -0);
  const magnitude = Math.abs(x);
  if (magnitude >= 1e21) return (negative ? '-' : '') + magnitude.toFixed(digits);
  // 100 digits hold the exact binary value of every double this program prints, so ties are seen as ties.
  const [whole, fraction] = magnitude.toFixed(100).split('.') as [string, string];
  let kept = whole + fraction.slice(0, digits);
  const next = fraction.charCodeAt(digits) - 48;
  const restIsZero = /^0*$/.test(fraction.slice(digits + 1));
  const lastKeptIsOdd = Number(kept[kept.length - 1]) % 2 === 1;
  if (next > 5 || (next === 5 && (!restIsZero || lastKeptIsOdd))) kept = incrementDigits(kept);
  const wholeLength = kept.length - digits;
  const text = digits === 0 ? kept : `${kept.slice(0, wholeLength)}.${kept.slice(wholeLength)}`;
  return (negative ? '-' : '') + text;
}

/** Python's `repr(x)` (and `str(x)`, `f'{x}'`, `'{}'.format(x)`) of a float: the shortest digits that round-trip. */
export function pythonRepr(x: number): string {
  const special = nonFinite(x);
  if (special !== null) return special;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() with no argument gives the shortest round-trip digits, as Python's repr does.
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const pointPosition = exponent + 1; // Python's `decpt`: the value is 0.<digits> * 10**decpt
  if (pointPosition > 16 || pointPosition < -3) {
    const rest = digits.slice(1);
    const exponentSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${rest ? '.' + rest : ''}e${exponentSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (pointPosition <= 0) return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
  if (pointPosition >= digits.length) return `${sign}${digits}${'0'.repeat(pointPosition - digits.length)}.0`;
  return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
}
