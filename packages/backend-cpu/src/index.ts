export { CpuBackend, createCpuBackend } from './cpu-backend.js';
export { getNumThreads, setNumThreads, threadingUnavailableReason } from './threads/thread-count.js';
