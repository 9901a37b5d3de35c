// The limits a Descent WebGPU device is requested with, and the largest tensor they allow.
import type { DType } from '@descent/backend';
import { GPU_BYTES_PER_ELEMENT } from './wgsl-types.js';

/**
 * The limits the kernels need, raised from the defaults up to what the adapter allows: big buffers, 256-wide
 * workgroups (compatibility adapters default to 128), enough storage bindings, and a dynamic offset per tensor
 * binding so bind groups can be reused.
 */
export function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    // Up to 16: a fused elementwise kernel (./fusion/) binds every buffer its chain reads and stores.
    maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 16),
    maxDynamicStorageBuffersPerPipelineLayout: Math.min(l.maxDynamicStorageBuffersPerPipelineLayout, 16),
    maxComputeWorkgroupSizeX: Math.min(l.maxComputeWorkgroupSizeX, 256),
    maxComputeInvocationsPerWorkgroup: Math.min(l.maxComputeInvocationsPerWorkgroup, 256),
    maxComputeWorkgroupStorageSize: Math.min(l.maxComputeWorkgroupStorageSize, 16384),
  };
}

/** The device limits that bound one tensor's memory. */
export type TensorLimits = Pick<GPUSupportedLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>;

/**
 * The most bytes one tensor may hold: every kernel binds a tensor's memory whole as one storage binding, so a
 * tensor is bounded by `maxStorageBufferBindingSize` as well as by `maxBufferSize`.
 */
export function tensorByteLimit(limits: TensorLimits): number {
  return Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
}

/**
 * Refuses, before anything is created, a tensor the device cannot hold or no kernel could bind: a RangeError
 * naming the size and the limit, raised by the op that asked (WebGPU itself would only fail later, at a sync, in
 * whatever op came next).
 */
export function checkTensorSize(limits: TensorLimits, numel: number, dtype: DType): void {
  const bytes = numel * GPU_BYTES_PER_ELEMENT;
  if (bytes <= tensorByteLimit(limits)) return;
  const what = `webgpu: cannot allocate ${bytes} bytes for a tensor of ${numel} ${dtype}`;
  if (bytes > limits.maxBufferSize) {
    throw new RangeError(`${what}: the device's maxBufferSize is ${limits.maxBufferSize} bytes`);
  }
  throw new RangeError(
    `${what}: kernels bind a tensor's memory whole, and the device's maxStorageBufferBindingSize is ` +
      `${limits.maxStorageBufferBindingSize} bytes (split the tensor, or keep it on the CPU)`,
  );
}
