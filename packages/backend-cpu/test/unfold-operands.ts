import type { HostArray, Operand } from '@descent/backend';
import { expect } from 'vitest';

/** `count` deterministic values in [-1, 1) from a linear congruential stream. */
export function values(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: count }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1));
}

/** A contiguous float32 or int32 operand of `shape` over `buffer`. */
export function operand(buffer: HostArray, shape: number[]): Operand<HostArray> {
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const dtype = buffer instanceof Float32Array ? 'float32' : 'int32';
  return { buffer, dtype, view: { shape, strides, offset: 0 } } as Operand<HostArray>;
}

/** The first element off by more than float32 rounding of these sums allows, or -1. */
function firstMismatch(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return 0;
  for (let i = 0; i < expected.length; i++) if (!(Math.abs(actual[i] - expected[i]) <= 1e-4 * (1 + Math.abs(expected[i])))) return i;
  return -1;
}

/** Asserts `actual` matches `expected` elementwise within float32 rounding, naming the first element that does not. */
export function close(actual: Float32Array, expected: Float32Array, what = ''): void {
  const at = firstMismatch(actual, expected);
  expect(at, at < 0 ? '' : `${what} element ${at}: ${actual[at]} vs ${expected[at]}`).toBe(-1);
}
