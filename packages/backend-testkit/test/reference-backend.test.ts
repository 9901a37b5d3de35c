import { runConformance } from '../src/index.js';
import { ReferenceBackend } from './reference-backend.js';

// A second implementation, written from the reference rather than from backend-cpu, passes the whole suite.
runConformance({ name: 'reference', createBackend: () => new ReferenceBackend() });
