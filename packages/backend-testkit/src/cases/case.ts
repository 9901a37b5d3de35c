import type { DType } from '@descent/backend';
import type { Harness } from '../harness.js';
import type { Primitive } from '../primitives.js';

/** One test: the primitive's behaviour on one input, checked against the reference. */
export interface ConformanceCase {
  /** Title segments under the primitive's describe block, e.g. `['erf', 'float32']`. */
  readonly title: readonly string[];
  /** Primitives the case calls besides its own, `upload` and `read`; it is skipped when the backend lacks one. */
  readonly uses?: readonly Primitive[];
  readonly run: (h: Harness) => Promise<void>;
}

/** Everything the suite checks about one primitive. */
export interface PrimitiveSuite {
  readonly primitive: Primitive;
  /** Primitives the probe needs besides its own. */
  readonly probeUses: readonly Primitive[];
  /** The smallest valid call: it fails, naming the primitive, when the backend does not implement it. */
  readonly probe: (h: Harness) => Promise<void>;
  readonly cases: () => ConformanceCase[];
}

/** The case that fails when the spec has an op the suite does not know yet (a newer `@descent/backend`). */
export function missingOpCase(op: string): ConformanceCase {
  return {
    title: [op, 'has a conformance case'],
    run: () => {
      throw new Error(`expected a conformance case for op ${op}: add one to @descent/backend-testkit`);
    },
  };
}

/**
 * The title suffix of cases whose integer values or results leave the int32 range (int64 past 2^31 and 2^53, int32
 * sums that only int64 holds): a backend that keeps int64 in 32 bits skips them with `skip: [/beyond 32 bits/]`.
 */
export const BEYOND_32_BITS = 'beyond 32 bits';

/** A key of a case table: a dtype, or a dtype's cases beyond 32 bits. */
export type TableKey = DType | `${DType} ${typeof BEYOND_32_BITS}`;

/** The dtype of a case table's key. */
export function dtypeOf(key: TableKey): DType {
  return key.split(' ')[0] as DType;
}
