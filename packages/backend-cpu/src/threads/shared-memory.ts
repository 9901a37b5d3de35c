import { wasmApi, type WasmMemory } from '../wasm/wasm-api.js';
import { MAX_PAGES } from '../wasm/wasm-bytes.js';

let memory: WasmMemory | null | undefined;

/**
 * The shared Wasm memory that kernels run on across threads, created on first use: operands are packed into it,
 * workers compute on it, results are copied out. Tensors themselves stay in ordinary ArrayBuffers, which the
 * garbage collector frees inside a loop that never awaits; SharedArrayBuffers and FinalizationRegistry-freed Wasm
 * blocks are not (measured on Node 20: 80 GB of 4 MB SharedArrayBuffers in a synchronous loop held 23 GB of RSS,
 * and no FinalizationRegistry callback ran before the loop yielded). Null where the runtime has no
 * SharedArrayBuffer (a browser page without cross-origin isolation) or cannot reserve the memory.
 */
export function sharedMemory(): WasmMemory | null {
  if (memory !== undefined) return memory;
  memory = null;
  if (wasmApi !== undefined && typeof SharedArrayBuffer === 'function') {
    try {
      memory = new wasmApi.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    } catch {
      // A 32-bit runtime cannot reserve 4 GiB of address space: kernels use the private memory.
    }
  }
  return memory;
}
