/// <reference types="@webgpu/types" preserve="true" />
/**
 * `@descent/backend-webgpu/node` in a browser bundle (the package's `browser` export condition picks this file):
 * the same names as ./node.ts without Dawn, node:v8 or node:vm. `torch.webgpu.init()` reaches this entry only when
 * the page has no `navigator.gpu`, so the error says how to get WebGPU in a browser.
 */
import type * as nodeEntry from './node.js';

export { createWebGPUBackend, type WebGPUBackend } from './webgpu-backend.js';
export type { AdapterChoice, NodeWebGPUOptions } from './node.js';

export const createNodeWebGPUBackend: typeof nodeEntry.createNodeWebGPUBackend = async () => {
  throw new Error(
    'WebGPU is not available: this browser has no navigator.gpu, and Dawn (the Node fallback) is Node-only. Use a ' +
      'browser with WebGPU on a page served over https or from localhost, or pass a device: torch.webgpu.init({ device }).',
  );
};
