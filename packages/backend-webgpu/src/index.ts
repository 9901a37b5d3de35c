export {
  WebGPUBackend,
  createWebGPUBackend,
  requestWebGPUBackend,
  type GpuBuffer,
  type MemoryStats,
  type WebGPUBackendOptions,
} from './webgpu-backend.js';
