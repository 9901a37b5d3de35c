/// <reference types="@webgpu/types" preserve="true" />
export {
  WebGPUBackend,
  createWebGPUBackend,
  requestWebGPUBackend,
  requiredLimits,
  type GpuBuffer,
  type MemoryStats,
  type WebGPUBackendOptions,
} from './webgpu-backend.js';
