import { simdSupport } from './simd-support.js';
import { wasmApi } from './wasm-api.js';
import { kernelMemory } from './wasm-memory.js';

const kernels = new Map<string, unknown>();

/**
 * The kernel `key` (one module exporting `exportName`) on the calling thread's kernel memory, compiled from
 * `bytes()` on first use; null where the runtime lacks Wasm SIMD, and the caller runs its JS loop.
 */
export function memoryKernel<F>(key: string, exportName: string, bytes: () => Uint8Array): F | null {
  let k = kernels.get(key) as F | null | undefined;
  if (k !== undefined) return k;
  const memory = simdSupport().simd128 ? kernelMemory() : undefined;
  if (wasmApi === undefined || memory === undefined) k = null;
  else k = new wasmApi.Instance(new wasmApi.Module(bytes()), { env: { memory } }).exports[exportName] as F;
  kernels.set(key, k);
  return k;
}
