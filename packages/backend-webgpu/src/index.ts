/// <reference types="@webgpu/types" preserve="true" />
export {
  WebGPUBackend,
  createWebGPUBackend,
  type GpuBuffer,
  type MemoryStats,
  type WebGPUBackendOptions,
} from './webgpu-backend.js';
export { requiredLimits } from './limits.js';
export { requestDevice, requestWebGPUBackend } from './request.js';
