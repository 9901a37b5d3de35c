import type { Backend } from '@descent/backend';

/** Relative tolerances for float32 results (and, under `float64`, float64 ones); integer and bool results compare exactly. */
export interface ToleranceOptions {
  /** Arithmetic, comparisons, casts, copies (default 1e-6). */
  readonly elementwise?: number;
  /** exp, log, sqrt, rsqrt, sin, cos, tanh, sigmoid, erf, pow (default 2e-6). */
  readonly transcendental?: number;
  /** sum, prod, matmul, scatterAdd, relative to the sum of the absolute terms (default 1e-5). */
  readonly reduction?: number;
  /**
   * The fused `sgdUpdate` and `adamUpdate` (parameters and optimizer state after a few steps), relative to the
   * largest term each element went through (default 2e-6).
   */
  readonly optimizer?: number;
  /** An absolute floor added to every float32 and float64 tolerance, for devices that flush tiny values (default 0). */
  readonly absolute?: number;
  /**
   * float64 results: `elementwise` (default 0: IEEE arithmetic is exact), `transcendental` (default 1e-13: math
   * libraries differ by an ulp or so) and `reduction` (default 1e-12, relative to the sum of the absolute terms,
   * for any summation order).
   */
  readonly float64?: Float64ToleranceOptions;
}

export interface Float64ToleranceOptions {
  readonly elementwise?: number;
  readonly transcendental?: number;
  readonly reduction?: number;
}

export type ToleranceKind = 'exact' | 'elementwise' | 'transcendental' | 'reduction' | 'optimizer';

export type ResolvedTolerance = Readonly<Record<Exclude<ToleranceKind, 'exact'>, number>> & {
  readonly absolute: number;
  readonly float64: Readonly<Required<Float64ToleranceOptions>>;
};

export interface ConformanceOptions {
  /** The backend's name in test titles and failure messages. */
  readonly name: string;
  /** Called once, before the first test; the suite shares the backend across tests. */
  readonly createBackend: () => Backend | Promise<Backend>;
  readonly tolerance?: ToleranceOptions;
  /**
   * Tests to register as skipped. A string names leading title segments under the suite, joined by ' > '
   * ('matmul' skips every matmul test, 'unary > erf' every erf test); a RegExp is tested against that joined title.
   */
  readonly skip?: readonly (string | RegExp)[];
  /** Per-test timeout in milliseconds (default: vitest's), for backends that compile kernels on first use. */
  readonly timeout?: number;
}

export const DEFAULT_TOLERANCE: ResolvedTolerance = {
  elementwise: 1e-6,
  transcendental: 2e-6,
  reduction: 1e-5,
  optimizer: 2e-6,
  absolute: 0,
  float64: { elementwise: 0, transcendental: 1e-13, reduction: 1e-12 },
};

export function resolveTolerance(tolerance: ToleranceOptions = {}): ResolvedTolerance {
  const { float64, ...float32 } = tolerance;
  return {
    ...DEFAULT_TOLERANCE,
    ...definedOnly(float32),
    float64: { ...DEFAULT_TOLERANCE.float64, ...definedOnly(float64 ?? {}) },
  };
}

function definedOnly<T extends object>(tolerance: T): Partial<T> {
  return Object.fromEntries(Object.entries(tolerance).filter(([, value]) => value !== undefined)) as Partial<T>;
}
