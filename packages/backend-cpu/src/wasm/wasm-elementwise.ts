import { binaryKernelBytes, SIMD_BINARY_OPS, type Operands, type SimdBinaryOp } from './elementwise-kernel.js';
import { memoryKernel } from './memory-kernels.js';
import { ensureBytes, kernelMemory } from './wasm-memory.js';

type Kernel = (xp: number, yp: number, outp: number, vectors: number) => void;

/**
 * Operands stream through the Wasm memory in chunks of this many floats: two 64 KiB inputs stay in L1/L2 between
 * the copy in, the kernel and the copy out, and the memory never grows past them whatever the tensor's size.
 */
const CHUNK = 16384;
/** Float offsets of the chunk slots; the result overwrites the vector input it was computed from. */
const X_SLOT = 0;
const Y_SLOT = CHUNK;

/** The compiled kernel for `name` on `operands`, on first use; null where the runtime lacks Wasm SIMD. */
function kernel(name: SimdBinaryOp, operands: Operands): Kernel | null {
  return memoryKernel<Kernel>(`binary/${name}/${operands}`, 'binary', () => binaryKernelBytes(name, operands));
}

/**
 * float32 `out[i] = x[xo + i] op y[yo + i]` for `n` elements on the Wasm SIMD kernels; with `operands` 'vs' y is
 * the one float `y[yo]`, with 'sv' x is `x[xo]`. Bit-identical to the JS loops. Returns false (nothing written)
 * where the op has no kernel or the runtime no Wasm SIMD, and the caller runs its JS loop.
 */
export function wasmBinaryF32(
  name: string,
  operands: Operands,
  x: Float32Array,
  xo: number,
  y: Float32Array,
  yo: number,
  out: Float32Array,
  n: number,
): boolean {
  if (!SIMD_BINARY_OPS.has(name)) return false;
  const k = kernel(name as SimdBinaryOp, operands);
  const memory = kernelMemory();
  if (k === null || memory === undefined) return false;
  ensureBytes(memory, 4 * 2 * CHUNK);
  const heap = new Float32Array(memory.buffer, 0, 2 * CHUNK);
  if (operands === 'sv') heap[X_SLOT] = x[xo];
  if (operands === 'vs') heap[Y_SLOT] = y[yo];
  // The result lands in the vector input's slot (x's unless x is the scalar).
  const outSlot = operands === 'sv' ? Y_SLOT : X_SLOT;
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    if (operands !== 'sv') heap.set(x.subarray(xo + start, xo + start + len), X_SLOT);
    if (operands !== 'vs') heap.set(y.subarray(yo + start, yo + start + len), Y_SLOT);
    // Lanes past len compute on stale floats and are never copied out.
    k(4 * X_SLOT, 4 * Y_SLOT, 4 * outSlot, Math.ceil(len / 4));
    out.set(heap.subarray(outSlot, outSlot + len), start);
  }
  return true;
}
