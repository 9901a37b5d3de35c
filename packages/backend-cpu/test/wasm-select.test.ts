import { describe, expect, it } from 'vitest';
import { compareKernelBytes, reluKernelBytes, whereKernelBytes, type CompareOp } from '../src/wasm/select-kernels.js';
import { simdSupport } from '../src/wasm/simd-support.js';
import { wasmApi } from '../src/wasm/wasm-api.js';
import { wasmCompareF32, wasmReluF32, wasmWhereF32 } from '../src/wasm/wasm-select.js';
import type { Operands } from '../src/wasm/elementwise-kernel.js';

/** Float32 bit patterns at the IEEE corners: quiet and signaling NaNs of both signs, ±Inf, ±0, subnormals, extremes. */
const SPECIAL = [0x7fc00000, 0xffc00000, 0x7f800001, 0xff800123, 0x7fa00000, 0x7f800000, 0xff800000, 0, 0x80000000, 1, 0x80000001, 0x7f7fffff, 0xff7fffff];

function values(count: number, seed: number): Float32Array {
  const bits = new Uint32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const r = s % 6;
    bits[i] = r === 0 ? (SPECIAL[(s >>> 8) % SPECIAL.length] ?? 0) : r === 1 ? (s >>> 9) | ((s & 1) << 31) : s ^ (s >>> 15);
  }
  return new Float32Array(bits.buffer);
}

function bools(count: number, seed: number): Uint8Array {
  const out = new Uint8Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 22695477) + 1) >>> 0;
    out[i] = (s >>> 16) & 1;
  }
  return out;
}

const bitsOf = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** The JS path's comparisons, as the CPU backend's loops compute them. */
const JS_COMPARE: Record<CompareOp, (a: number, b: number) => number> = {
  eq: (a, b) => +(a === b),
  ne: (a, b) => +(a !== b),
  lt: (a, b) => +(a < b),
  le: (a, b) => +(a <= b),
};

const OPERANDS: Operands[] = ['vv', 'vs', 'sv'];
const LENGTHS = [1, 15, 16, 17, 1000, 16384, 16385, 40_011];

describe.runIf(simdSupport().simd128)('Wasm SIMD comparisons, where and ReLU', { timeout: 120_000 }, () => {
  it('emits modules that WebAssembly validates', () => {
    for (const op of ['eq', 'ne', 'lt', 'le'] as const) for (const o of OPERANDS) expect(wasmApi?.validate(compareKernelBytes(op, o))).toBe(true);
    for (const o of OPERANDS) expect(wasmApi?.validate(whereKernelBytes(o))).toBe(true);
    expect(wasmApi?.validate(reluKernelBytes())).toBe(true);
  });

  it('compares like the JS loops (NaN, ±0, ±Inf, subnormals), every operand form, across chunks', () => {
    const x = values(40_020, 1);
    const y = Float32Array.from(values(40_020, 2), (v, i) => (i % 5 === 0 ? (x[i + 3] ?? v) : v)); // some equal pairs
    for (const op of ['eq', 'ne', 'lt', 'le'] as const) {
      for (const operands of OPERANDS) {
        for (const n of LENGTHS) {
          const got = new Uint8Array(n);
          expect(wasmCompareF32(op, operands, x, 3, y, 2, got, n)).toBe(true);
          const want = Uint8Array.from({ length: n }, (_, i) => JS_COMPARE[op](x[operands === 'sv' ? 3 : 3 + i] ?? NaN, y[operands === 'vs' ? 2 : 2 + i] ?? NaN));
          expect(got, `${op} ${operands} n=${n}`).toEqual(want);
        }
      }
    }
  });

  it('picks like the JS where loop, bit for bit (signaling NaNs come out quiet, as there)', () => {
    const x = values(40_020, 3);
    const y = values(40_020, 4);
    const c = bools(40_020, 5);
    for (const operands of OPERANDS) {
      for (const n of LENGTHS) {
        const got = new Float32Array(n);
        expect(wasmWhereF32(operands, c, 1, x, 3, y, 2, got, n)).toBe(true);
        const want = new Float32Array(n);
        for (let i = 0; i < n; i++) want[i] = c[1 + i] !== 0 ? (x[operands === 'sv' ? 3 : 3 + i] ?? NaN) : (y[operands === 'vs' ? 2 : 2 + i] ?? NaN);
        expect(bitsOf(got), `${operands} n=${n}`).toEqual(bitsOf(want));
      }
    }
  });

  it('computes ReLU like the JS loop, bit for bit (-0 and NaN pass)', () => {
    const x = values(40_020, 6);
    for (const n of LENGTHS) {
      const got = new Float32Array(n);
      expect(wasmReluF32(x, 5, got, n)).toBe(true);
      const want = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const v = x[5 + i] ?? NaN;
        want[i] = v < 0 ? 0 : v;
      }
      expect(bitsOf(got), `n=${n}`).toEqual(bitsOf(want));
    }
    // The quieted signaling NaN keeps its sign and payload.
    const out = new Float32Array(4);
    wasmReluF32(new Float32Array(new Uint32Array([0x7f800001, 0xff800123, 0x80000000, 0xbf800000]).buffer), 0, out, 4);
    expect(Array.from(bitsOf(out))).toEqual([0x7fc00001, 0xffc00123, 0x80000000, 0]);
  });
});
