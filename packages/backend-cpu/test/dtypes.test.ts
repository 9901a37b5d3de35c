import { contiguousView, type DType, type HostArray, type Operand } from '@descent/backend';
import { reference } from '@descent/backend-testkit';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';

// The conformance suite checks every op and dtype on chosen values; these run the int64 word arithmetic on many
// random values around its boundaries (2^31, 2^32, 2^53, 2^63), against plain BigInt.
const backend = createCpuBackend();

function operand(data: HostArray, dtype: DType): Operand<HostArray> {
  return { buffer: backend.upload(data, dtype), view: contiguousView([data.length]), dtype };
}

/** A deterministic stream of int64 values near the word and precision boundaries, with their negations. */
function int64s(count: number, seed: number): bigint[] {
  const edges = [0n, 1n, 2n ** 31n, 2n ** 32n, 2n ** 52n, 2n ** 53n, 2n ** 62n, 2n ** 63n];
  let state = seed;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  return Array.from({ length: count }, () => {
    const edge = edges[next() % edges.length];
    const jitter = BigInt((next() % 2001) - 1000) * BigInt(1 + (next() % 3) * 4096);
    const v = BigInt.asIntN(64, edge + jitter);
    return next() % 2 === 0 ? v : BigInt.asIntN(64, -v);
  });
}

const wrap = (v: bigint) => BigInt.asIntN(64, v);

describe('int64 on int32 words', () => {
  const a = int64s(4000, 7);
  const b = int64s(4000, 11);
  const x = operand(BigInt64Array.from(a), 'int64');
  const y = operand(BigInt64Array.from(b), 'int64');

  const cases: [string, (p: bigint, q: bigint) => bigint][] = [
    ['add', (p, q) => wrap(p + q)],
    ['sub', (p, q) => wrap(p - q)],
    ['mul', (p, q) => wrap(p * q)],
    ['maximum', (p, q) => (p > q ? p : q)],
    ['minimum', (p, q) => (p < q ? p : q)],
    ['div', (p, q) => (q === 0n ? 0n : wrap(p / q))],
  ];
  for (const [op, fn] of cases) {
    it(`${op} matches BigInt arithmetic modulo 2^64`, () => {
      const out = backend.binary(op as 'add', x, y) as BigInt64Array;
      expect(Array.from(out)).toEqual(a.map((p, i) => fn(p, b[i])));
    });
  }

  it('lt and eq compare as signed 64-bit integers', () => {
    expect(Array.from(backend.binary('lt', x, y) as Uint8Array)).toEqual(a.map((p, i) => Number(p < b[i])));
    expect(Array.from(backend.binary('eq', x, x) as Uint8Array).every((v) => v === 1)).toBe(true);
  });

  it('neg and abs wrap at -2^63', () => {
    expect(Array.from(backend.unary('neg', x) as BigInt64Array)).toEqual(a.map((p) => wrap(-p)));
    expect(Array.from(backend.unary('abs', x) as BigInt64Array)).toEqual(a.map((p) => wrap(p < 0n ? -p : p)));
  });

  it('sum and prod wrap modulo 2^64 in blocks', () => {
    const rows = { ...x, view: contiguousView([400, 10]) };
    const sums = Array.from(backend.reduce('sum', rows, 1) as BigInt64Array);
    const prods = Array.from(backend.reduce('prod', rows, 1) as BigInt64Array);
    for (let r = 0; r < 400; r++) {
      const row = a.slice(r * 10, r * 10 + 10);
      expect(sums[r]).toBe(wrap(row.reduce((s, v) => s + v, 0n)));
      expect(prods[r]).toBe(row.reduce((s, v) => wrap(s * v), 1n));
    }
  });

  it('casts to float32 and float64 round once, to nearest even', () => {
    const f32 = Array.from(backend.cast(x, 'float32') as Float32Array);
    const f64 = Array.from(backend.cast(x, 'float64') as Float64Array);
    expect(f32).toEqual(a.map((v) => reference.bigintToFloat32(v)));
    expect(f64).toEqual(a.map((v) => Number(v)));
  });

  it('matmul dot products wrap modulo 2^64', () => {
    const m = { ...x, view: contiguousView([1, 40, 100]) };
    const n = { ...y, view: contiguousView([1, 100, 40]) };
    const out = Array.from(backend.matmul(m, n) as BigInt64Array);
    const expected = reference.matmulReference('int64', a, b, [1, 40, 100], 40);
    expect(out).toEqual(expected);
  });
});

describe('dtype checks', () => {
  it('upload refuses a host array of another dtype', () => {
    expect(() => backend.upload(new Int32Array(2), 'int64')).toThrow(/int64 data must be a BigInt64Array/);
    expect(() => backend.upload(new Float64Array(2), 'float32')).toThrow(TypeError);
  });

  it('ops PyTorch defines on floats only throw for integer inputs', () => {
    expect(() => backend.unary('exp', operand(Int32Array.of(1), 'int32'))).toThrow(/unary exp is not defined for int32/);
    expect(() => backend.unary('sqrt', operand(BigInt64Array.of(1n), 'int64'))).toThrow(/int64/);
  });

  it('int16 and int8 max/min narrow back to their dtype', () => {
    const out = backend.reduce('min', { ...operand(Int16Array.of(-32768, 5, 7, 32767), 'int16'), view: contiguousView([2, 2]) }, 1);
    expect(out).toBeInstanceOf(Int16Array);
    expect(Array.from(out as Int16Array)).toEqual([-32768, 7]);
  });
});
