import { runConformance } from '@descent/backend-testkit';
import { createNodeWebGPUBackend } from '../src/node.js';

// GPU transcendentals (exp, log, sin, ...) are specified to a few ulp, not correctly rounded. The fused optimizers are
// held to the default tolerance: their `1 - beta` terms come from the host, rounded once as PyTorch rounds them.
runConformance({
  name: 'webgpu',
  createBackend: () => createNodeWebGPUBackend(),
  tolerance: { transcendental: 2e-5, reduction: 2e-5 },
  timeout: 60_000,
});
