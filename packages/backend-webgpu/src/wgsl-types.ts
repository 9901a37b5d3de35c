import type { DType } from '@descent/backend';

/** How each dtype lives in a storage buffer: bool is a u32 (WGSL has no byte-addressed storage). */
export const WGSL_TYPE: Record<DType, 'f32' | 'i32' | 'u32'> = { float32: 'f32', int32: 'i32', bool: 'u32' };

/** Every dtype takes 4 bytes per element on the GPU. */
export const GPU_BYTES_PER_ELEMENT = 4;

/** WGSL helpers shared by the kernels. NaN and infinity are built from bits: WGSL has no literals for them. */
export const WGSL_COMMON = /* wgsl */ `
fn is_nan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn nan_f32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf_f32() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
`;

/**
 * WebGPU's flag values (from the spec), so importing this package never needs the `GPUBufferUsage` globals,
 * which Node only has after the `webgpu` package installs them.
 */
export const BUFFER_USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, STORAGE: 0x80 } as const;
export const MAP_MODE_READ = 0x1;
