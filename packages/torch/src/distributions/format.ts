import { Tensor } from '@descent/tensor';

/** Python's `repr(float)`: shortest round-trip digits, '.0' on whole numbers, exponents from 1e16 and below 1e-4. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0.0';
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/**
 * `'{}'.format(x)` for a parameter or bound in a message: a 0-d tensor formats as its Python scalar (`-1.0`,
 * `0.30000001192092896`, `3`, `True`), any other tensor as `str(tensor)`, a number as a Python float unless `int`.
 */
export function pyFormat(x: Tensor | number, int = false): string {
  if (!(x instanceof Tensor)) return int ? String(x) : pyFloat(x);
  if (x.ndim !== 0) return String(x);
  const v = x.item();
  if (x.dtype === 'bool') return v ? 'True' : 'False';
  return x.dtype === 'float32' || x.dtype === 'float64' ? pyFloat(Number(v)) : String(v);
}

/** `str(torch.Size([2, 3]))`. */
export const pySize = (shape: readonly number[]): string => `torch.Size([${shape.join(', ')}])`;

/** `tuple(shape)` as Python prints it: `()`, `(3,)`, `(2, 3)`. */
export const pyTuple = (shape: readonly number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);
