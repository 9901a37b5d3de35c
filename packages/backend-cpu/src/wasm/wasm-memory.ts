import { wasmApi, type WasmMemory } from './wasm-api.js';

const PAGE = 65536;

let memory: WasmMemory | undefined;

/**
 * The one Wasm memory every kernel imports, created on first use. Kernels run one at a time on the calling
 * thread, so they share it as scratch: operands are copied in, results copied out, and tensors stay in JS arrays.
 */
export function kernelMemory(): WasmMemory | undefined {
  if (memory === undefined && wasmApi !== undefined) memory = new wasmApi.Memory({ initial: 1 });
  return memory;
}

/** Grows `mem` to at least `bytes`; growing detaches earlier views of its buffer, so take views after this. */
export function ensureBytes(mem: WasmMemory, bytes: number): void {
  const have = mem.buffer.byteLength;
  if (bytes > have) mem.grow(Math.ceil((bytes - have) / PAGE));
}
