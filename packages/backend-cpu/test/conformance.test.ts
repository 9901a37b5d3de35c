import { runConformance } from '@descent/backend-testkit';
import { CpuBackend } from '../src/index.js';

runConformance({ name: 'cpu', createBackend: () => new CpuBackend() });
