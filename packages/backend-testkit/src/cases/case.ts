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
