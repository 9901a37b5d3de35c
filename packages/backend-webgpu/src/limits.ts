// The limits a Descent WebGPU device is requested with.

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
    maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 8),
    maxDynamicStorageBuffersPerPipelineLayout: Math.min(l.maxDynamicStorageBuffersPerPipelineLayout, 8),
    maxComputeWorkgroupSizeX: Math.min(l.maxComputeWorkgroupSizeX, 256),
    maxComputeInvocationsPerWorkgroup: Math.min(l.maxComputeInvocationsPerWorkgroup, 256),
    maxComputeWorkgroupStorageSize: Math.min(l.maxComputeWorkgroupStorageSize, 16384),
  };
}
