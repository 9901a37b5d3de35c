import { requiredLimits } from './limits.js';
import { optionalFeatures } from './subgroups.js';
import { createWebGPUBackend, type WebGPUBackend } from './webgpu-backend.js';

/** A device with what the kernels use: the limits of ./limits.ts and, where the adapter has them, subgroups. */
export function requestDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  return adapter.requestDevice({ requiredLimits: requiredLimits(adapter), requiredFeatures: optionalFeatures(adapter) });
}

/** Requests an adapter and device from a `GPU` object (`navigator.gpu` in a browser) and wraps it. */
export async function requestWebGPUBackend(gpu: GPU, options: GPURequestAdapterOptions = {}): Promise<WebGPUBackend> {
  const adapter = await gpu.requestAdapter(options);
  if (!adapter) {
    throw new Error('WebGPU is available but no adapter was found (navigator.gpu.requestAdapter() returned null).');
  }
  const device = await requestDevice(adapter);
  const info = adapter.info;
  const description = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'WebGPU adapter';
  return createWebGPUBackend({ device, description, wgslLanguageFeatures: gpu.wgslLanguageFeatures });
}
