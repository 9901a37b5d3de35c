import { DTYPES, SPEC_VERSION, type Backend } from '@descent/backend';
import { beforeAll, describe, it, type TestContext } from 'vitest';
import { binarySuite } from './cases/binary.js';
import type { ConformanceCase, PrimitiveSuite } from './cases/case.js';
import { castSuite } from './cases/cast.js';
import { copySuite, fillSuite } from './cases/fill-copy.js';
import { OPTIONAL_CASES } from './cases/fused.js';
import { gatherSuite } from './cases/gather.js';
import { matmulSuite } from './cases/matmul.js';
import { allocSuite, freeSuite, readSuite, uploadSuite } from './cases/memory.js';
import { reduceSuite } from './cases/reduce.js';
import { scatterAddSuite } from './cases/scatter-add.js';
import { unarySuite } from './cases/unary.js';
import { whereSuite } from './cases/where.js';
import { Harness } from './harness.js';
import { OPTIONAL_METHODS, type OptionalMethod } from './optional.js';
import { resolveTolerance, type ConformanceOptions } from './options.js';
import { MissingPrimitiveError, PRIMITIVES, type Primitive } from './primitives.js';

/** One suite per primitive; `satisfies` keeps this table in step with PRIMITIVES. */
const SUITES = {
  upload: uploadSuite,
  read: readSuite,
  alloc: allocSuite,
  free: freeSuite,
  fill: fillSuite,
  copy: copySuite,
  cast: castSuite,
  unary: unarySuite,
  binary: binarySuite,
  where: whereSuite,
  reduce: reduceSuite,
  matmul: matmulSuite,
  gather: gatherSuite,
  scatterAdd: scatterAddSuite,
} satisfies Record<Primitive, PrimitiveSuite>;

/** Every case uses these to get data in and out. */
const MEMORY: readonly Primitive[] = ['upload', 'read'];

interface TitleTree {
  readonly cases: ConformanceCase[];
  readonly children: Map<string, TitleTree>;
}

/** Groups cases by their leading title segments, so each segment becomes a nested describe block. */
function titleTree(cases: readonly ConformanceCase[], depth = 0): TitleTree {
  const tree: TitleTree = { cases: [], children: new Map() };
  const grouped = new Map<string, ConformanceCase[]>();
  for (const c of cases) {
    if (c.title.length === depth + 1) tree.cases.push(c);
    else {
      const key = c.title[depth];
      grouped.set(key, [...(grouped.get(key) ?? []), c]);
    }
  }
  for (const [key, group] of grouped) tree.children.set(key, titleTree(group, depth + 1));
  return tree;
}

/**
 * Registers the conformance suite for one backend as vitest `describe`/`it` blocks. Call it at the top level of a
 * test file:
 *
 * ```ts
 * runConformance({ name: 'cpu', createBackend: () => new CpuBackend() });
 * ```
 *
 * Each primitive gets an `implements <primitive>` test that fails, naming it, when the backend lacks the method or
 * throws "not implemented"; that primitive's other tests are then skipped, so a partial backend sees one failure
 * per missing primitive. The optional fused methods (`softmax`, `crossEntropy`, `sgdUpdate`, `adamUpdate`) are
 * checked when the backend has them; otherwise each gets one skipped test saying it is optional and not implemented.
 * Expected values come from the testkit's own reference, never from another backend.
 */
export function runConformance(options: ConformanceOptions): void {
  if (!options || typeof options.name !== 'string' || typeof options.createBackend !== 'function') {
    throw new TypeError("runConformance(): expected { name: string, createBackend: () => Backend }, e.g. { name: 'cpu', createBackend: () => new CpuBackend() }");
  }
  const { name } = options;
  const tolerance = resolveTolerance(options.tolerance);
  const missing = new Set<Primitive>();
  let backend: Backend | undefined;

  const skipped = (path: readonly string[]): boolean => {
    const joined = path.join(' > ');
    return (options.skip ?? []).some((entry) =>
      typeof entry === 'string' ? joined === entry || joined.startsWith(`${entry} > `) : entry.test(joined),
    );
  };

  /**
   * Registers one test titled by the last segment of `path` (whose first segment is the primitive under test),
   * skipped by the options or when a primitive it needs turned out to be missing.
   */
  const test = (path: readonly string[], needs: readonly Primitive[], body: (h: Harness) => Promise<void>) => {
    const title = path[path.length - 1];
    if (skipped(path)) {
      it.skip(title, () => {});
      return;
    }
    it(
      title,
      async (context: TestContext) => {
        if (!backend) throw new Error(`backend '${name}' was not created: see the error from createBackend`);
        const absent = needs.find((primitive) => missing.has(primitive));
        if (absent) context.skip(`backend '${name}' does not implement primitive '${absent}'`);
        const h = new Harness(backend, name, tolerance, (note) => context.skip(note) as never);
        try {
          await body(h);
          await h.verifyInputsUnchanged();
        } catch (error) {
          // Another primitive's gap is reported by that primitive's own tests, not once more here.
          if (error instanceof MissingPrimitiveError && error.primitive !== path[0]) context.skip(error.message);
          throw error;
        } finally {
          h.release();
        }
      },
      options.timeout,
    );
  };

  /** `needs`: the primitives every case of the tree calls. */
  const registerTree = (tree: TitleTree, path: readonly string[], needs: readonly Primitive[]) => {
    for (const c of tree.cases) {
      test([...path, c.title[c.title.length - 1]], [...needs, ...MEMORY, ...(c.uses ?? [])], c.run);
    }
    for (const [segment, child] of tree.children) describe(segment, () => registerTree(child, [...path, segment], needs));
  };

  // One backend for the whole suite: the optional methods' blocks need it while registering (to title the cases of
  // an absent method as skipped), the tests from beforeAll on.
  let creation: Promise<Backend> | undefined;
  const create = (): Promise<Backend> => (creation ??= Promise.resolve().then(() => options.createBackend()));

  /** An optional method's cases run when the backend has it; otherwise one skipped test says it is not implemented. */
  const registerOptional = async (method: OptionalMethod) => {
    const created = await create().catch(() => undefined); // a failed creation is reported by beforeAll
    if (created && typeof created[method] !== 'function') {
      const title = `${method} is optional and not implemented by backend '${name}': the tensor layer composes it from primitives`;
      it.skip(title, () => {});
      return;
    }
    registerTree(titleTree(OPTIONAL_CASES[method]()), [method], []);
  };

  describe(`${name} backend conformance`, () => {
    beforeAll(async () => {
      backend = await create();
    }, options.timeout);

    describe('spec', () => {
      test(['spec', 'specVersion matches @descent/backend'], [], async (h) => {
        if (h.backend.specVersion !== SPEC_VERSION) {
          throw new Error(`backend '${name}' has specVersion ${h.backend.specVersion}, but @descent/backend is at ${SPEC_VERSION}`);
        }
      });
      test(['spec', 'has a device name'], [], async (h) => {
        if (typeof h.backend.name !== 'string' || h.backend.name.length === 0) {
          throw new Error(`backend '${name}' has name ${JSON.stringify(h.backend.name)}; expected a device type such as 'cpu'`);
        }
      });
      test(['spec', 'dtypes, when given, lists dtypes of the spec once each'], [], async (h) => {
        const { dtypes } = h.backend;
        if (dtypes === undefined) return;
        const unknown = dtypes.filter((dtype) => !DTYPES.includes(dtype));
        if (!Array.isArray(dtypes) || dtypes.length === 0 || unknown.length > 0 || new Set(dtypes).size !== dtypes.length) {
          throw new Error(`backend '${name}' has dtypes ${JSON.stringify(dtypes)}; expected distinct dtypes of ${JSON.stringify(DTYPES)}`);
        }
      });
    });

    // The probes run first, so a missing primitive is known before any case that merely uses it.
    describe('primitives', () => {
      for (const primitive of PRIMITIVES) {
        test([primitive, `implements ${primitive}`], SUITES[primitive].probeUses, async (h) => {
          try {
            await SUITES[primitive].probe(h);
          } catch (error) {
            if (error instanceof MissingPrimitiveError && error.primitive === primitive) missing.add(primitive);
            throw error;
          }
        });
      }
    });

    for (const primitive of PRIMITIVES) {
      describe(primitive, () => registerTree(titleTree(SUITES[primitive].cases()), [primitive], [primitive]));
    }

    for (const method of OPTIONAL_METHODS) describe(method, () => registerOptional(method));
  });
}
