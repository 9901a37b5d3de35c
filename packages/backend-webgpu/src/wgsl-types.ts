import type { DType } from '@descent/backend';

/**
 * How each dtype lives in a storage buffer, one 32-bit word per element (WGSL has no 8-, 16- or 64-bit storage
 * types): float32 as f32; int32, int64, int16, int8 and uint8 as i32; bool as a u32 holding 0 or 1. float64 has no
 * WGSL type: the backend refuses it (see ./dtypes.ts), so it never reaches a shader.
 */
export const WGSL_TYPE: Readonly<Record<DType, 'f32' | 'i32' | 'u32' | 'f64'>> = {
  float32: 'f32',
  // Never reaches a shader: every entry point refuses float64 first (`refuseFloat64`). Were one to slip through,
  // WGSL has no f64 and the shader fails to compile, loudly, rather than reading doubles as floats.
  float64: 'f64',
  int64: 'i32',
  int32: 'i32',
  int16: 'i32',
  int8: 'i32',
  uint8: 'i32',
  bool: 'u32',
};

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
