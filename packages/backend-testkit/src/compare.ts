import type { DType } from '@descent/backend';
import type { ResolvedTolerance, ToleranceKind } from './options.js';
import { unravel, type Value } from './reference-core.js';

export interface Expectation {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Numbers, and bigints for int64. */
  readonly values: readonly Value[];
  /** How float32 and float64 results are compared; integer and bool results always compare exactly. */
  readonly kind: ToleranceKind;
  /**
   * Per element, the magnitude a reduction's rounding error scales with (the sum of the absolute terms), so a
   * sum that cancels to nearly 0 is not held to a relative tolerance of its tiny result.
   */
  readonly scale?: readonly number[];
}

const SHOWN_MISMATCHES = 5;

/** The relative tolerance for a result of `dtype` compared as `kind` (0: exact). */
function allowedError(dtype: DType, kind: ToleranceKind, tolerance: ResolvedTolerance): number {
  if (kind === 'exact') return 0;
  if (dtype === 'float32') return tolerance[kind];
  if (dtype === 'float64') return tolerance.float64[kind === 'optimizer' ? 'reduction' : kind];
  return 0;
}

function matches(actual: Value, expected: Value, rtol: number, atol: number, scale: number): boolean {
  if (typeof actual === 'bigint' || typeof expected === 'bigint') return actual === expected;
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (!Number.isFinite(actual)) return false;
  if (rtol === 0 && atol === 0) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.max(Math.abs(expected), scale);
}

/** A description of every element of `actual` that misses `expected`, or undefined when all match. */
export function describeMismatches(
  what: string,
  actual: readonly Value[],
  expected: Expectation,
  tolerance: ResolvedTolerance,
): string | undefined {
  if (actual.length !== expected.values.length) {
    return `${what}: expected ${expected.values.length} elements, got ${actual.length}`;
  }
  const isFloat = expected.dtype === 'float32' || expected.dtype === 'float64';
  const rtol = allowedError(expected.dtype, expected.kind, tolerance);
  const atol = isFloat ? tolerance.absolute : 0;
  const lines: string[] = [];
  let count = 0;
  for (let i = 0; i < actual.length; i++) {
    if (matches(actual[i], expected.values[i], rtol, atol, expected.scale?.[i] ?? 0)) continue;
    count++;
    if (lines.length < SHOWN_MISMATCHES) {
      lines.push(`  at [${unravel(i, expected.shape).join(', ')}]: got ${actual[i]}, expected ${expected.values[i]}`);
    }
  }
  if (count === 0) return undefined;
  const how = rtol > 0 ? `relative tolerance ${rtol}` : 'exact';
  return `${what}: ${count} of ${actual.length} ${expected.dtype} elements differ (${how}):\n${lines.join('\n')}`;
}
