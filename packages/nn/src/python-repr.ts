// Python's spelling of values in module reprs, so `String(module)` reads exactly as PyTorch prints it.

/** `repr(float)`: the shortest round-trip digits, '.0' on whole numbers, exponents from 1e16 and below 1e-4. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0.0';
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/** `repr(bool)`. */
export function pyBool(x: boolean): string {
  return x ? 'True' : 'False';
}

/** `repr(str)` for plain strings (single quotes). */
export function pyString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `repr(tuple)` of integers: `(4,)`, `(2, 3)`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

/** `str(torch.Size([2, 3]))`. */
export function pySize(shape: readonly number[]): string {
  return `torch.Size([${shape.join(', ')}])`;
}

/** A float attribute that may be None (`momentum=None`). */
export function pyOptionalFloat(x: number | null): string {
  return x === null ? 'None' : pyFloat(x);
}

/** Python's `type(x)` spelling for error messages about a wrong argument. */
export function pyTypeName(x: unknown): string {
  if (x === null || x === undefined) return 'NoneType';
  if (typeof x === 'number') return Number.isInteger(x) ? 'int' : 'float';
  if (typeof x === 'boolean') return 'bool';
  if (typeof x === 'string') return 'str';
  if (Array.isArray(x)) return 'list';
  const ctor = (x as { constructor?: { name?: string } }).constructor;
  return ctor?.name ?? typeof x;
}
