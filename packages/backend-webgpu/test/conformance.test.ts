import { runConformance } from '@descent/backend-testkit';
import { createNodeWebGPUBackend } from '../src/node.js';

// GPU transcendentals (exp, log, sin, ...) are specified to a few ulp, not correctly rounded.
runConformance({
  name: 'webgpu',
  createBackend: () => createNodeWebGPUBackend(),
  tolerance: { transcendental: 2e-5, reduction: 2e-5 },
  timeout: 60_000,
});
