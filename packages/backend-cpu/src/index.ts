export { CpuBackend, createCpuBackend } from './cpu-backend.js';
