import { createWebGPUBackend, requestWebGPUBackend, type WebGPUBackend } from '@descent/backend-webgpu';
import { isDeviceAvailable, registerBackend, unregisterBackend, type Device } from '@descent/tensor';

/**
 * `torch.webgpu`: set up the GPU device and inspect it. `await torch.webgpu.init()` finds an adapter
 * (`navigator.gpu` in a browser, Dawn through the `webgpu` package in Node), after which `'webgpu'` works
 * wherever a device is accepted: `x.to('webgpu')`, `model.to('webgpu')`, `{ device: 'webgpu' }`.
 */

// The declarations below name no WebGPU global (`GPUDevice`) and import nothing from '@descent/backend-webgpu',
// whose types need `@webgpu/types` and the DOM lib: `import * as torch from '@descent/torch'` must type-check in a
// Node project with neither.

let backend: WebGPUBackend | null = null;
let device: Device | null = null;

/**
 * The `GPUDevice` type where the project has WebGPU's types (`"types": ["@webgpu/types"]`, as a browser app opts
 * in), found on `globalThis` instead of named; `never` where it has none, since no GPUDevice can exist there.
 */
export type GPUDeviceType = typeof globalThis extends { GPUDevice: { prototype: infer Device } } ? Device : never;

export interface InitOptions {
  /** Use this `GPUDevice` instead of requesting one. */
  device?: GPUDeviceType;
  /** Node only: 'vulkan', 'opengl' or 'auto' (default; also the DESCENT_WEBGPU_ADAPTER environment variable). */
  adapter?: 'auto' | 'vulkan' | 'opengl';
}

export async function init(options: InitOptions = {}): Promise<Device> {
  if (device && !options.device) return device;
  const gpu = browserGpu();
  if (options.device) {
    backend = createWebGPUBackend({ device: options.device as GPUDevice });
  } else if (gpu) {
    backend = await requestWebGPUBackend(gpu);
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

/** GPU memory the process holds for tensors, live or pooled for reuse (PyTorch's `memory_reserved`). */
export function memoryReserved(): number {
  return current().memory().reservedBytes;
}

/**
 * Returns pooled GPU memory to the device (PyTorch's `empty_cache`): memory reserved but held by no live tensor,
 * in whole slabs. Live tensors keep theirs; `memoryAllocated()` does not change.
 */
export function emptyCache(): void {
  current().emptyCache();
}

/** `torch.webgpu.memoryStats()`: the backend's counters (declared here, not imported, so no WebGPU types come along). */
export interface MemoryStats {
  /** Bytes held by live tensors. */
  allocatedBytes: number;
  /** Bytes pooled for reuse. */
  pooledBytes: number;
  /** GPU memory reserved in slabs and dedicated buffers (what the process holds on the device). */
  reservedBytes: number;
  buffersCreated: number;
  dispatches: number;
  submits: number;
}

export function memoryStats(): MemoryStats {
  return current().memory();
}

/**
 * Turns elementwise fusion on or off (on by default; `DESCENT_WEBGPU_FUSION=0` starts with it off). With it on,
 * chains of elementwise ops run as one kernel; off, each op is its own kernel, as a reference for tests and
 * benchmarks. The values are the same either way.
 */
export function setFusion(enabled: boolean): void {
  current().fusion.enabled = enabled;
}

/**
 * Waits for all queued GPU work; raises, once, what failed in it (a bad index, a rejected batch) that no read of
 * the failed tensor has raised yet, naming the op.
 */
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
