import { runConformance } from '@descent/backend-testkit';
import { createNodeWebGPUBackend } from '../src/node.js';

// GPU transcendentals (exp, log, sin, ...) are specified to a few ulp, not correctly rounded. The fused Adam kernel
// computes `1 - beta2` in f32 on the device (PyTorch rounds the double `1 - beta2` once), which moves exp_avg_sq by
// about 1.3e-5 relative at beta2 = 0.999: hence the optimizer tolerance, until the host passes `1 - beta` instead.
runConformance({
  name: 'webgpu',
  createBackend: () => createNodeWebGPUBackend(),
  tolerance: { transcendental: 2e-5, reduction: 2e-5, optimizer: 2e-5 },
  timeout: 60_000,
});
