// Runs @descent/backend-testkit's conformance suite against the browser's WebGPU, in the page. The docs site's
// bundle aliases `vitest` to ./vitest-shim.ts, so `runConformance` registers its tests there.
import { runConformance } from '@descent/backend-testkit';
import { requestWebGPUBackend } from '@descent/backend-webgpu';
import { resetRegistry, runRegistered, type TestResult } from './vitest-shim.js';

export type { TestResult } from './vitest-shim.js';

export interface ConformanceSummary {
  readonly adapter: string;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly ms: number;
  readonly failures: readonly TestResult[];
}

/** The same tolerances as the WebGPU backend's own conformance test in Node. */
const TOLERANCE = { transcendental: 2e-5, reduction: 2e-5 };

export async function runWebGPUConformance(gpu: GPU, onResult: (result: TestResult) => void = () => {}): Promise<ConformanceSummary> {
  let adapter = 'none';
  resetRegistry();
  runConformance({
    name: 'webgpu',
    createBackend: async () => {
      const backend = await requestWebGPUBackend(gpu);
      adapter = backend.description;
      return backend;
    },
    tolerance: TOLERANCE,
    // WebGPU keeps int64 in 32 bits: values past int32 raise by design (as in the Node conformance run).
    skip: [/beyond 32 bits/],
  });
  const started = performance.now();
  const results = await runRegistered(onResult);
  const count = (state: TestResult['state']) => results.filter((r) => r.state === state).length;
  return {
    adapter,
    passed: count('pass'),
    failed: count('fail'),
    skipped: count('skip'),
    ms: performance.now() - started,
    failures: results.filter((r) => r.state === 'fail'),
  };
}
