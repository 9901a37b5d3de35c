import { createWebGPUBackend, requestWebGPUBackend, type MemoryStats, type WebGPUBackend } from '@descent/backend-webgpu';
import { isDeviceAvailable, registerBackend, unregisterBackend, type Device } from '@descent/tensor';

/**
 * `torch.webgpu`: set up the GPU device and inspect it. `await torch.webgpu.init()` finds an adapter
 * (`navigator.gpu` in a browser, Dawn through the `webgpu` package in Node), after which `'webgpu'` works
 * wherever a device is accepted: `x.to('webgpu')`, `model.to('webgpu')`, `{ device: 'webgpu' }`.
 */

let backend: WebGPUBackend | null = null;
let device: Device | null = null;

export interface InitOptions {
  /** Use this `GPUDevice` instead of requesting one. */
  device?: GPUDevice;
  /** Node only: 'vulkan', 'opengl' or 'auto' (default; also the DESCENT_WEBGPU_ADAPTER environment variable). */
  adapter?: 'auto' | 'vulkan' | 'opengl';
}

export async function init(options: InitOptions = {}): Promise<Device> {
  if (device && !options.device) return device;
  if (options.device) {
    backend = createWebGPUBackend({ device: options.device });
  } else if (browserGpu()) {
    backend = await requestWebGPUBackend(browserGpu()!);
  } else {
    const { createNodeWebGPUBackend } = await import('@descent/backend-webgpu/node');
    backend = await createNodeWebGPUBackend({ adapter: options.adapter });
  }
  device = registerBackend(backend, 0);
  return device;
}

/** `navigator.gpu` where the host has one (browsers), without assuming DOM typings. */
function browserGpu(): GPU | undefined {
  return (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
}

function current(): WebGPUBackend {
  if (!backend) throw new Error('WebGPU is not initialized: call `await torch.webgpu.init()` first.');
  return backend;
}

export function isAvailable(): boolean {
  return isDeviceAvailable('webgpu');
}

/** Which adapter is in use, e.g. `Vulkan: mesa software llvmpipe`. */
export function info(): string {
  return current().description;
}

/** Bytes held by live GPU tensors (pooled, reusable memory is not counted). */
export function memoryAllocated(): number {
  return current().memory().allocatedBytes;
}

export function memoryStats(): MemoryStats {
  return current().memory();
}

/** Waits for all queued GPU work; raises any GPU error it produced. */
export function synchronize(): Promise<void> {
  return current().synchronize();
}

/** Releases the GPU device (lets a Node process exit early). */
export function shutdown(): void {
  if (backend) unregisterBackend('webgpu');
  backend?.destroy();
  backend = null;
  device = null;
}
