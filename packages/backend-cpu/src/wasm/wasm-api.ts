/**
 * The slice of the `WebAssembly` global the kernels use, typed here because the package builds against ES2022
 * alone (no DOM or Node lib). Undefined where the runtime has no WebAssembly, and callers fall back to JS.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => {
    readonly exports: Record<string, unknown>;
  };
}

export const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
