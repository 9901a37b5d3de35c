import { isTensor, noGrad } from '@descent/tensor';

/** A deep copy of a hyperparameter or state value: tensors are cloned (cut from the graph), arrays and objects copied. */
export function copyValue<T>(value: T): T {
  if (isTensor(value)) return noGrad(() => value.detach().clone()) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => copyValue(v)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) copy[key] = copyValue(v);
    return copy as T;
  }
  return value;
}

/** A value written as Python writes it, for PyTorch-style reprs: True, None, (0.9, 0.999), 0.001. */
export function formatPythonValue(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number') return formatPythonFloat(value);
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `(${value.map(formatPythonValue).join(', ')})`;
  return String(value);
}

function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x)) return String(x);
  // Python's repr switches to exponent form below 1e-4 (JavaScript only below 1e-6) and writes two exponent digits.
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e16) {
    const [mantissa, exponent] = x.toExponential().split('e');
    const sign = exponent.startsWith('-') ? '-' : '+';
    const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(x);
}
