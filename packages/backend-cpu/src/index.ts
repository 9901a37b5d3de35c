export { CpuBackend, createCpuBackend } from './cpu-backend.js';
export { getNumThreads, setNumThreads, threadingStatus, type ThreadingStatus } from './threads/num-threads.js';
