// The slice of vitest's API that `runConformance` from @descent/backend-testkit registers its tests with
// (`describe`, `it`, `it.skip`, `beforeAll`, `context.skip`). The docs site aliases `vitest` to this module in the
// browser bundle, so the real conformance suite runs in a page against the browser's WebGPU.

export interface TestContext {
  skip(note?: string): never;
}

type TestBody = (context: TestContext) => unknown;
type Hook = () => unknown;

interface TestEntry {
  readonly kind: 'test';
  readonly name: string;
  readonly body: TestBody | null;
}

interface SuiteEntry {
  readonly kind: 'suite';
  readonly name: string;
  readonly children: (TestEntry | SuiteEntry)[];
  readonly beforeAll: Hook[];
}

export interface TestResult {
  /** Suite names and the test name, outermost first. */
  readonly path: readonly string[];
  readonly state: 'pass' | 'fail' | 'skip';
  readonly message?: string;
  readonly ms: number;
}

class SkipSignal extends Error {}

const root: SuiteEntry = { kind: 'suite', name: '', children: [], beforeAll: [] };
let current = root;

export function describe(name: string, register: () => void): void {
  const suite: SuiteEntry = { kind: 'suite', name, children: [], beforeAll: [] };
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    register();
  } finally {
    current = parent;
  }
}

function registerTest(name: string, body: TestBody, _timeout?: number): void {
  current.children.push({ kind: 'test', name, body });
}

export const it = Object.assign(registerTest, {
  skip(name: string, _body?: TestBody): void {
    current.children.push({ kind: 'test', name, body: null });
  },
});

export const test = it;

export function beforeAll(hook: Hook, _timeout?: number): void {
  current.beforeAll.push(hook);
}

/** Drops everything registered so far (a page that runs the suite twice registers it afresh). */
export function resetRegistry(): void {
  root.children.length = 0;
  root.beforeAll.length = 0;
  current = root;
}

const context: TestContext = {
  skip(note?: string): never {
    throw new SkipSignal(note ?? 'skipped');
  },
};

/** Runs every registered test in order, calling `onResult` after each one; returns all results. */
export async function runRegistered(onResult: (result: TestResult) => void = () => {}): Promise<TestResult[]> {
  const results: TestResult[] = [];
  const visit = async (suite: SuiteEntry, path: readonly string[]): Promise<void> => {
    let hookError: unknown = null;
    for (const hook of suite.beforeAll) {
      try {
        await hook();
      } catch (error) {
        hookError = error;
        break;
      }
    }
    for (const child of suite.children) {
      if (child.kind === 'suite') {
        await visit(child, [...path, child.name]);
        continue;
      }
      const started = performance.now();
      const record = (state: TestResult['state'], message?: string) => {
        const result: TestResult = { path: [...path, child.name], state, message, ms: performance.now() - started };
        results.push(result);
        onResult(result);
      };
      if (!child.body) record('skip', 'skipped by the suite options');
      else if (hookError) record('fail', `beforeAll failed: ${String((hookError as Error)?.message ?? hookError)}`);
      else {
        try {
          await child.body(context);
          record('pass');
        } catch (error) {
          if (error instanceof SkipSignal) record('skip', error.message);
          else record('fail', String((error as Error)?.message ?? error));
        }
      }
    }
  };
  await visit(root, []);
  return results;
}
