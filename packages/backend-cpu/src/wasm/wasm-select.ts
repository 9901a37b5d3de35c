import type { Operands } from './elementwise-kernel.js';
import { compareKernelBytes, reluKernelBytes, SELECT_GROUP, SIMD_COMPARE_OPS, whereKernelBytes, type CompareOp } from './select-kernels.js';
import { memoryKernel } from './memory-kernels.js';
import { ensureBytes, kernelMemory } from './wasm-memory.js';

type Kernel = (...addressesThenCount: number[]) => void;
type Elements = Float32Array | Uint8Array;

/** Elements per chunk: each operand gets a slot of CHUNK floats in the kernel memory, the result the next one. */
const CHUNK = 16384;
const SLOT_BYTES = 4 * CHUNK;

/** The kernel named `key`, compiled from `bytes()` on first use; null where the runtime lacks Wasm SIMD. */
const kernel = (key: string, exportName: string, bytes: () => Uint8Array): Kernel | null => memoryKernel<Kernel>(key, exportName, bytes);

interface Input {
  data: Elements;
  offset: number;
  /** One element broadcast to all (the kernel splats it). */
  scalar: boolean;
}

const viewOf = (like: Elements, buffer: ArrayBuffer, byteOffset: number): Elements =>
  like instanceof Float32Array ? new Float32Array(buffer, byteOffset, CHUNK) : new Uint8Array(buffer, byteOffset, CHUNK);

/**
 * Runs `k` over `n` elements in chunks: each input's chunk is copied into its slot, the kernel runs on
 * `ceil(len / group)` groups (lanes past `len` compute on stale values and are never copied out), and the
 * result slot is copied to `out`. Memory stays at a few slots whatever the tensors' size.
 */
function stream(k: Kernel, inputs: readonly Input[], out: Elements, n: number, group: number): void {
  const memory = kernelMemory();
  if (memory === undefined) throw new Error('stream: no kernel memory');
  ensureBytes(memory, SLOT_BYTES * (inputs.length + 1));
  const buffer = memory.buffer;
  const slots = inputs.map((input, i) => viewOf(input.data, buffer, i * SLOT_BYTES));
  const result = viewOf(out, buffer, inputs.length * SLOT_BYTES);
  const addresses = inputs.map((_, i) => i * SLOT_BYTES);
  addresses.push(inputs.length * SLOT_BYTES);
  inputs.forEach((input, i) => {
    if (input.scalar) slots[i][0] = input.data[input.offset];
  });
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    inputs.forEach((input, i) => {
      if (!input.scalar) slots[i].set(input.data.subarray(input.offset + start, input.offset + start + len));
    });
    k(...addresses, Math.ceil(len / group));
    out.set(result.subarray(0, len), start);
  }
}

/** float32 `out[i] = x op y` as bools for eq/ne/lt/le; false (nothing written) where there is no kernel. */
export function wasmCompareF32(
  name: string,
  operands: Operands,
  x: Float32Array,
  xo: number,
  y: Float32Array,
  yo: number,
  out: Uint8Array,
  n: number,
): boolean {
  if (!SIMD_COMPARE_OPS.has(name)) return false;
  const k = kernel(`compare/${name}/${operands}`, 'compare', () => compareKernelBytes(name as CompareOp, operands));
  if (k === null) return false;
  const inputs = [
    { data: x, offset: xo, scalar: operands === 'sv' },
    { data: y, offset: yo, scalar: operands === 'vs' },
  ];
  stream(k, inputs, out, n, SELECT_GROUP);
  return true;
}

/** float32 `out[i] = cond[i] ? x : y`, a scalar branch per `operands`; false where there is no kernel. */
export function wasmWhereF32(
  operands: Operands,
  cond: Uint8Array,
  co: number,
  x: Float32Array,
  xo: number,
  y: Float32Array,
  yo: number,
  out: Float32Array,
  n: number,
): boolean {
  const k = kernel(`where/${operands}`, 'where', () => whereKernelBytes(operands));
  if (k === null) return false;
  const inputs = [
    { data: cond, offset: co, scalar: false },
    { data: x, offset: xo, scalar: operands === 'sv' },
    { data: y, offset: yo, scalar: operands === 'vs' },
  ];
  stream(k, inputs, out, n, SELECT_GROUP);
  return true;
}

/** float32 ReLU; false where there is no kernel. */
export function wasmReluF32(x: Float32Array, xo: number, out: Float32Array, n: number): boolean {
  const k = kernel('relu', 'relu', reluKernelBytes);
  if (k === null) return false;
  stream(k, [{ data: x, offset: xo, scalar: false }], out, n, 4);
  return true;
}
