import type { BinaryOp, HostArray, Operand } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/cpu-backend.js';
import { BINARY_FLOAT, WASM_ELEMENTWISE_MIN } from '../src/elementwise.js';
import { binaryKernelBytes, type Operands, type SimdBinaryOp } from '../src/wasm/elementwise-kernel.js';
import { simdSupport } from '../src/wasm/simd-support.js';
import { wasmApi } from '../src/wasm/wasm-api.js';
import { wasmBinaryF32 } from '../src/wasm/wasm-elementwise.js';

const OPS: SimdBinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];

/** Float32 bit patterns that stress the IEEE corners: NaNs (two payloads, both signs), ±Inf, ±0, subnormals, extremes. */
const SPECIAL = [0x7fc00000, 0xffc00000, 0x7f800001, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x3f800000];

/** Deterministic random floats over the whole bit space (so many subnormals, huge and tiny values) mixed with specials. */
function values(count: number, seed: number): Float32Array {
  const bits = new Uint32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const r = s % 8;
    // Equal values on both sides (seeded alike) exercise max/min ties such as (+0, -0).
    bits[i] = r === 0 ? (SPECIAL[(s >>> 8) % SPECIAL.length] ?? 0) : r === 1 ? (s >>> 9) | ((s & 1) << 31) : s ^ (s >>> 15);
  }
  return new Float32Array(bits.buffer);
}

/** The JS path's result: the op in double, rounded once by the Float32Array store. */
function reference(op: BinaryOp, operands: Operands, x: Float32Array, xo: number, y: Float32Array, yo: number, n: number): Float32Array {
  const fn = BINARY_FLOAT[op];
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fn(x[operands === 'sv' ? xo : xo + i] ?? NaN, y[operands === 'vs' ? yo : yo + i] ?? NaN);
  return out;
}

const bitsOf = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/**
 * Bits of `got` and `want`, equal everywhere except that where both of an element's operands are NaN, any NaN
 * passes: which payload survives then is the hardware's and the JIT's choice (an optimized JS `x + y` keeps y's,
 * the interpreter may not), not a property of the JS path the kernels can match in every tier.
 */
function expectSameBits(got: Float32Array, want: Float32Array, bothNaN: (i: number) => boolean): void {
  const g = bitsOf(got);
  const w = Uint32Array.from(bitsOf(want), (bits, i) => (bothNaN(i) && Number.isNaN(got[i] ?? 0) ? (g[i] ?? 0) : bits));
  expect(g).toEqual(w);
}

// Bit-for-bit comparisons over many lengths, offsets and chunks: correctness checks that need more than vitest's
// default 5 s on a loaded 2-core CI machine (speed is measured in `pnpm bench`, never here).
describe.runIf(simdSupport().simd128)('Wasm SIMD float32 elementwise', { timeout: 120_000 }, () => {
  it('emits modules that WebAssembly validates', () => {
    for (const op of OPS) for (const operands of ['vv', 'vs', 'sv'] as const) expect(wasmApi?.validate(binaryKernelBytes(op, operands))).toBe(true);
  });

  for (const operands of ['vv', 'vs', 'sv'] as const) {
    it(`matches the JS path bit for bit (${operands}, offsets, lengths not multiples of 4, across chunks)`, () => {
      const x = values(40_011, 1);
      const y = values(40_011, operands === 'vv' ? 1 : 2);
      const y2 = values(40_011, 3);
      for (const op of OPS) {
        for (const [n, xo, yo] of [
          [1, 0, 0],
          [7, 3, 5],
          [4099, 1, 2],
          [40_000, 11, 0],
        ] as const) {
          // Both seed-1 arrays at the same offset pair every value with itself: ties and NaN with NaN.
          for (const other of [y, y2]) {
            const got = new Float32Array(n);
            expect(wasmBinaryF32(op, operands, x, xo, other, yo, got, n)).toBe(true);
            const xAt = (i: number): number => x[operands === 'sv' ? xo : xo + i] ?? 0;
            const yAt = (i: number): number => other[operands === 'vs' ? yo : yo + i] ?? 0;
            expectSameBits(got, reference(op, operands, x, xo, other, yo, n), (i) => Number.isNaN(xAt(i)) && Number.isNaN(yAt(i)));
          }
        }
      }
    });
  }

  it('runs every special against every special, both ways', () => {
    const specials = new Float32Array(new Uint32Array(SPECIAL).buffer);
    const m = specials.length;
    const x = new Float32Array(m * m);
    const y = new Float32Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) [x[i * m + j], y[i * m + j]] = [specials[i] ?? 0, specials[j] ?? 0];
    for (const op of OPS) {
      const got = new Float32Array(m * m);
      wasmBinaryF32(op, 'vv', x, 0, y, 0, got, m * m);
      expectSameBits(got, reference(op, 'vv', x, 0, y, 0, m * m), (i) => Number.isNaN(x[i] ?? 0) && Number.isNaN(y[i] ?? 0));
    }
  });

  it('leaves other ops to the JS loops', () => {
    const x = values(8, 4);
    expect(wasmBinaryF32('pow', 'vv', x, 0, x, 0, new Float32Array(8), 8)).toBe(false);
  });

  it('is what the backend runs above the threshold, for contiguous and broadcast-scalar operands', () => {
    const cpu = createCpuBackend();
    const n = WASM_ELEMENTWISE_MIN * 3 + 5;
    const x = values(n + 2, 5);
    const y = values(n, 6);
    const full = (buffer: Float32Array, offset = 0): Operand<HostArray> => ({ buffer, view: { shape: [n], strides: [1], offset }, dtype: 'float32' });
    const scalar = (buffer: Float32Array, offset: number): Operand<HostArray> => ({ buffer, view: { shape: [n], strides: [0], offset }, dtype: 'float32' });
    for (const op of OPS) {
      const nans = (xs: (i: number) => number, ys: (i: number) => number) => (i: number) => Number.isNaN(xs(i)) && Number.isNaN(ys(i));
      const at = (a: Float32Array, o: number, step: number) => (i: number) => a[o + i * step] ?? 0;
      expectSameBits(cpu.binary(op, full(x, 2), full(y)) as Float32Array, reference(op, 'vv', x, 2, y, 0, n), nans(at(x, 2, 1), at(y, 0, 1)));
      expectSameBits(cpu.binary(op, full(x, 1), scalar(y, 9)) as Float32Array, reference(op, 'vs', x, 1, y, 9, n), nans(at(x, 1, 1), at(y, 9, 0)));
      expectSameBits(cpu.binary(op, scalar(x, 3), full(y)) as Float32Array, reference(op, 'sv', x, 3, y, 0, n), nans(at(x, 3, 0), at(y, 0, 1)));
    }
  });
});
