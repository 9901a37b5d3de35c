import type { DType } from '@descent/backend';
import type { ResolvedTolerance, ToleranceKind } from './options.js';
import { unravel } from './reference.js';

export interface Expectation {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly values: readonly number[];
  /** How float32 results are compared; int32 and bool always compare exactly. */
  readonly kind: ToleranceKind;
  /**
   * Per element, the magnitude a reduction's rounding error scales with (the sum of the absolute terms), so a
   * sum that cancels to nearly 0 is not held to a relative tolerance of its tiny result.
   */
  readonly scale?: readonly number[];
}

const SHOWN_MISMATCHES = 5;

function allowedError(kind: ToleranceKind, tolerance: ResolvedTolerance): number {
  return kind === 'exact' ? 0 : tolerance[kind];
}

function matches(actual: number, expected: number, rtol: number, atol: number, scale: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (!Number.isFinite(actual)) return false;
  if (rtol === 0 && atol === 0) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.max(Math.abs(expected), scale);
}

/** A description of every element of `actual` that misses `expected`, or undefined when all match. */
export function describeMismatches(
  what: string,
  actual: readonly number[],
  expected: Expectation,
  tolerance: ResolvedTolerance,
): string | undefined {
  if (actual.length !== expected.values.length) {
    return `${what}: expected ${expected.values.length} elements, got ${actual.length}`;
  }
  const isFloat = expected.dtype === 'float32';
  const rtol = isFloat ? allowedError(expected.kind, tolerance) : 0;
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
