import type { HostArray, Operand } from '@descent/backend';
import { afterAll, describe, expect, it } from 'vitest';
import { matmulStrided } from '../src/matmul.js';
import { getNumThreads, setNumThreads, threadingStatus } from '../src/threads/num-threads.js';
import { engineParallelism } from '../src/wasm/kernel-engine.js';
import { wasmMatmulF32 } from '../src/wasm/wasm-matmul.js';
import { matmulKernelBytes } from '../src/wasm/matmul-kernel.js';
import { ThreadPool } from '../src/threads/pool.js';
import { wasmApi } from '../src/wasm/wasm-api.js';

function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function operand(buffer: Float32Array, shape: number[], strides: number[]): Operand<HostArray> {
  return { buffer, view: { shape, strides, offset: 0 }, dtype: 'float32' };
}

/** Waits (yielding to the event loop) until `threads` threads are ready to share a matmul. */
async function threadsReady(threads: number): Promise<void> {
  setNumThreads(threads);
  for (let tries = 0; engineParallelism() < threads; tries++) {
    if (tries > 500) throw new Error(`worker threads did not start: ${engineParallelism()} of ${threads} ready`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const initialThreads = getNumThreads();
afterAll(() => setNumThreads(initialThreads));

describe('CPU kernels on worker threads', { timeout: 120_000 }, () => {
  it('runs on Node with threads available, ready as soon as setNumThreads returns', () => {
    setNumThreads(2);
    expect(threadingStatus()).toEqual({ threads: 2, ready: 2, reason: undefined });
  });

  it('gives bit-identical matmul results on 1, 2 and 3 threads, for every split of the output', async () => {
    const cases: { a: Operand<HostArray>; b: Operand<HostArray> }[] = [];
    for (const [batch, m, k, n] of [
      [1, 128, 64, 128],
      [1, 128, 784, 256],
      [2, 67, 300, 131],
      [1, 9, 500, 300],
      [1, 300, 500, 9],
    ]) {
      const a = operand(values(batch * m * k, m), [batch, m, k], [m * k, k, 1]);
      cases.push({ a, b: operand(values(batch * k * n, n), [batch, k, n], [k * n, n, 1]) });
      // Transposed B (x @ w.T), as nn.Linear runs it.
      cases.push({ a, b: operand(values(batch * k * n, n + 1), [batch, k, n], [k * n, 1, k]) });
    }
    // Batches of products too small to split, which threads share item by item (a convolution's per-sample
    // products): a weight shared by every sample (batch stride 0) on either side, and a transposed B.
    for (const [batch, m, k, n] of [
      [64, 16, 150, 100],
      [33, 6, 25, 196],
    ]) {
      const weight = operand(values(m * k, 3), [batch, m, k], [0, k, 1]);
      const columns = operand(values(batch * k * n, 4), [batch, k, n], [k * n, n, 1]);
      cases.push({ a: weight, b: columns });
      cases.push({ a: operand(values(batch * m * k, 5), [batch, m, k], [m * k, k, 1]), b: operand(values(k * n, 6), [batch, k, n], [0, n, 1]) });
      cases.push({ a: operand(values(batch * m * k, 7), [batch, m, k], [m * k, k, 1]), b: operand(values(batch * k * n, 8), [batch, k, n], [k * n, 1, k]) });
    }
    const results = new Map<number, Float32Array[]>();
    for (const threads of [1, 2, 3]) {
      await threadsReady(threads);
      results.set(
        threads,
        cases.map(({ a, b }) => {
          const out = wasmMatmulF32(a, b);
          if (out === null) throw new Error('no Wasm SIMD');
          return out;
        }),
      );
    }
    const one = results.get(1) ?? [];
    for (const threads of [2, 3]) {
      const many = results.get(threads) ?? [];
      for (let c = 0; c < cases.length; c++) {
        expect(Buffer.from(many[c].buffer).equals(Buffer.from(one[c].buffer)), `case ${c} on ${threads} threads`).toBe(true);
      }
    }
    // And the results are right: the double-accumulating JS kernel within float32 rounding.
    for (const c of [1, cases.length - 6, cases.length - 1]) {
      const { a, b } = cases[c];
      const want = matmulStrided(a, b, { wasm: false });
      for (let i = 0; i < want.length; i += 97) expect(one[c][i], `case ${c} element ${i}`).toBeCloseTo(Number(want[i]), 3);
    }
  });

  it('raises at the op when a worker fails, and the pool keeps working', async () => {
    await threadsReady(2);
    // A kernel reading past the end of its memory traps: on the worker (part 1) and on the caller (part 0).
    const api = wasmApi;
    if (api === undefined) throw new Error('no WebAssembly');
    const memory = new api.Memory({ initial: 1, maximum: 65536, shared: true });
    const module = new api.Module(matmulKernelBytes(false, { shared: true }));
    const call = new api.Instance(module, { env: { memory } }).exports.matmul as (...args: number[]) => void;
    const pool = new ThreadPool(memory, [{ module, name: 'matmul', call }]);
    pool.warmUp(2);
    expect(pool.parallelism(2)).toBe(2);
    const inBounds = [0, 1024, 2048, 1, 1, 4, 64, 128, 32, 16, 32, 4, 1, 0, 0, 0];
    const outOfBounds = [1 << 30, 1024, 2048, 1, 1, 4, 64, 128, 32, 16, 32, 4, 1, 0, 0, 0];
    expect(() => pool.run(0, [inBounds, outOfBounds])).toThrow(
      "a CPU worker thread failed while running a kernel: RuntimeError: memory access out of bounds; the op's result was not written",
    );
    expect(() => pool.run(0, [outOfBounds, inBounds])).toThrow(/^memory access out of bounds$/);
    expect(() => pool.run(0, [outOfBounds, outOfBounds])).toThrow(/^memory access out of bounds$/);
    pool.run(0, [inBounds, inBounds]);
    pool.close();
    expect(pool.parallelism(2)).toBe(1);
  });

  it('takes back the part a dead worker never claimed, runs it on the calling thread, and stays correct', async () => {
    const api = wasmApi;
    if (api === undefined) throw new Error('no WebAssembly');
    const memory = new api.Memory({ initial: 1, maximum: 65536, shared: true });
    const module = new api.Module(matmulKernelBytes(false, { shared: true }));
    const call = new api.Instance(module, { env: { memory } }).exports.matmul as (...args: number[]) => void;
    const pool = new ThreadPool(memory, [{ module, name: 'matmul', call }], 50);
    pool.warmUp(2);
    expect(pool.parallelism(2)).toBe(2);
    // The worker goes away while idle (a crash or a terminate()), so it never takes the next call.
    await (pool as unknown as { workers: { terminate(): Promise<number> }[] }).workers[0].terminate();
    // A 4x8 product (k = 4) twice: part 0 here into C at byte 2048, part 1 (the dead worker's) into C at 4096.
    const heap = new Float32Array(memory.buffer);
    heap.set(values(16, 1), 0);
    heap.set(values(32, 2), 256);
    const args = (c: number) => [0, 1024, c, 1, 1, 4, 64, 128, 32, 16, 32, 4, 1, 0, 0, 0];
    pool.run(0, [args(2048), args(4096)]);
    call(...args(8192));
    const expected = Array.from(heap.subarray(2048, 2048 + 32));
    expect(expected.some((v) => v !== 0)).toBe(true);
    expect(Array.from(heap.subarray(1024, 1024 + 32))).toEqual(expected);
    expect(Array.from(heap.subarray(512, 512 + 32))).toEqual(expected);
    // The pool runs on the caller alone from then on.
    expect(pool.parallelism(2)).toBe(1);
    pool.run(0, [args(2048)]);
    pool.close();
  });

  it('setNumThreads takes positive integers, as torch.set_num_threads does', () => {
    expect(() => setNumThreads(0)).toThrow('Number of threads must be a positive integer, got 0');
    expect(() => setNumThreads(1.5)).toThrow('positive integer');
    setNumThreads(2);
    expect(getNumThreads()).toBe(2);
  });
});

describe('matmul with zeros against Inf and NaN', () => {
  it('gives NaN for 0 * Inf on the JS and the Wasm kernels, as PyTorch does', () => {
    const a = operand(Float32Array.of(0, 1), [1, 1, 2], [2, 2, 1]);
    const b = operand(Float32Array.of(Infinity, NaN, 1, 1), [1, 2, 2], [4, 2, 1]);
    for (const wasm of [false, true]) {
      const out = matmulStrided(a, b, { wasm });
      expect(Number.isNaN(out[0]), `wasm ${wasm}`).toBe(true);
      expect(Number.isNaN(out[1]), `wasm ${wasm}`).toBe(true);
    }
  });
});
