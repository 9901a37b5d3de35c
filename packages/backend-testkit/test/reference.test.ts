import { DTYPES, type BinaryOp, type DType, type ReduceOp, type UnaryOp } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { BINARY_CASES } from '../src/cases/binary.js';
import { castInputs } from '../src/cases/cast.js';
import { dtypeOf, type TableKey } from '../src/cases/case.js';
import { REDUCE_CASES } from '../src/cases/reduce.js';
import { UNARY_CASES } from '../src/cases/unary.js';
import { describeMismatches } from '../src/compare.js';
import { LAYOUTS, broadcast, logical, strided } from '../src/layouts.js';
import { DEFAULT_TOLERANCE, type ToleranceKind } from '../src/options.js';
import {
  binaryOutputDType,
  binaryReference,
  bigintToFloat32,
  castReference,
  erfReference,
  gatherReference,
  matmulReference,
  reduceOutputDType,
  reduceReference,
  roundHalfToEven,
  scatterAddReference,
  toDType,
  unaryOutputDType,
  unaryReference,
  type Value,
} from '../src/reference.js';
import { loadFixture } from './fixtures.js';

interface RawCase {
  readonly kind: 'unary' | 'binary' | 'reduce' | 'cast';
  readonly op: string;
  readonly key: string;
  readonly dtype: DType;
  readonly inputs: (number | string)[][];
  readonly output: (number | string)[];
  readonly outputDtype: DType;
  readonly columns?: number;
}

interface EdgeCase extends Omit<RawCase, 'inputs' | 'output'> {
  readonly inputs: Value[][];
  readonly output: Value[];
}

/** int64 values come as decimal strings (JSON numbers are not exact past 2^53). */
const values = (list: readonly (number | string)[]): Value[] => list.map((v) => (typeof v === 'string' ? BigInt(v) : v));

const CASES: EdgeCase[] = loadFixture<{ cases: RawCase[] }>('pytorch-edge-cases').cases.map((c) => ({
  ...c,
  inputs: c.inputs.map(values),
  output: values(c.output),
}));

const TRANSCENDENTAL = new Set(['exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'erf', 'pow']);

const toBool = (list: readonly Value[]): Value[] => list.map((v) => toDType('bool', v)); // NaN is true

/**
 * PyTorch ops the spec has no op for, composed as the tensor layer composes them: gt/ge are lt/le with swapped
 * operands, and logical and/or cast to bool, then take minimum/maximum. The PyTorch fixture checks the compositions.
 */
const COMPOSED: Partial<Record<string, (a: Value[], b: Value[], dtype: DType) => Value[]>> = {
  gt: (a, b, dtype) => binaryReference('lt', dtype, b, a),
  ge: (a, b, dtype) => binaryReference('le', dtype, b, a),
  logicalAnd: (a, b) => binaryReference('minimum', 'bool', toBool(a), toBool(b)),
  logicalOr: (a, b) => binaryReference('maximum', 'bool', toBool(a), toBool(b)),
};

function referenceFor(c: EdgeCase): { values: Value[]; dtype: DType } {
  switch (c.kind) {
    case 'unary':
      return { values: unaryReference(c.op as UnaryOp, c.dtype, c.inputs[0]), dtype: unaryOutputDType(c.op as UnaryOp, c.dtype) };
    case 'binary': {
      const [a, b] = c.inputs;
      const composed = COMPOSED[c.op];
      if (composed) return { values: composed(a, b, c.dtype), dtype: 'bool' };
      return { values: binaryReference(c.op as BinaryOp, c.dtype, a, b), dtype: binaryOutputDType(c.op as BinaryOp, c.dtype) };
    }
    case 'reduce': {
      const columns = c.columns ?? 1;
      const shape = [c.inputs[0].length / columns, columns];
      return { values: reduceReference(c.op as ReduceOp, c.dtype, c.inputs[0], shape, 1), dtype: reduceOutputDType(c.op as ReduceOp, c.dtype) };
    }
    case 'cast':
      return { values: castReference(c.inputs[0], c.op as DType), dtype: c.op as DType };
  }
}

describe('the reference agrees with PyTorch 1.13 on edge cases', () => {
  it('has the recorded cases', () => expect(CASES.length).toBeGreaterThan(300));
  for (const c of CASES) {
    it(`${c.kind} ${c.op} (${c.key})`, () => {
      const { values: actual, dtype } = referenceFor(c);
      expect(dtype).toBe(c.outputDtype); // the result dtype is PyTorch's too (int64 sums and indices)
      const kind: ToleranceKind = TRANSCENDENTAL.has(c.op) ? 'transcendental' : c.kind === 'reduce' ? 'reduction' : 'elementwise';
      const problem = describeMismatches(`${c.kind} ${c.op}`, actual, { dtype, shape: [actual.length], values: c.output, kind }, DEFAULT_TOLERANCE);
      expect(problem).toBeUndefined();
    });
  }
});

describe('the fixture covers every case table of the suite', () => {
  /** The stored inputs of a table entry, as the fixture lists them. */
  const stored = (key: string, list: readonly Value[]) => list.map((v) => toDType(dtypeOf(key as TableKey), v));
  const recorded = (kind: string, op: string, key: string) => CASES.find((c) => c.kind === kind && c.op === op && c.key === key);
  const expectRecorded = (kind: string, op: string, key: string, inputs: readonly (readonly Value[])[]) => {
    const c = recorded(kind, op, key);
    expect(c, `${kind} ${op} (${key}) is missing: rerun tooling/fixtures/gen_backend_edge_cases.py`).toBeDefined();
    expect(c?.inputs, `${kind} ${op} (${key}) changed: rerun tooling/fixtures/gen_backend_edge_cases.py`).toEqual(inputs.map((list) => stored(key, list)));
  };

  it('unary', () => {
    for (const [op, { inputs }] of Object.entries(UNARY_CASES)) for (const [key, list] of Object.entries(inputs)) expectRecorded('unary', op, key, [list]);
  });
  it('binary', () => {
    for (const [op, { inputs }] of Object.entries(BINARY_CASES)) for (const [key, { a, b }] of Object.entries(inputs)) expectRecorded('binary', op, key, [a, b]);
  });
  it('reduce', () => {
    for (const [op, tables] of Object.entries(REDUCE_CASES)) for (const [key, { rows }] of Object.entries(tables)) expectRecorded('reduce', op, key, [rows.flat()]);
  });
  it('cast, every pair of dtypes', () => {
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        const { values: list, wide } = castInputs(from, to);
        expectRecorded('cast', to, from, [list]);
        if (wide) expectRecorded('cast', to, `${from} beyond 32 bits`, [wide]);
      }
    }
  });
});

describe('reference math', () => {
  it('erf matches high-precision values to double precision', () => {
    // Abramowitz and Stegun, table 7.1, and erf(1e-3) = 2/sqrt(pi) * (1e-3 - 1e-9/3 + ...).
    const known: [number, number][] = [
      [1e-3, 0.0011283787909692363],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [-1.5, -0.9661051464753108],
    ];
    for (const [x, erf] of known) expect(Math.abs(erfReference(x) - erf)).toBeLessThan(1e-12 * Math.max(1, Math.abs(erf)) + 1e-15);
  });

  it('erf with float64 intervals matches to a few ulps', () => {
    const known: [number, number][] = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
    ];
    for (const [x, erf] of known) expect(Math.abs(erfReference(x, 100_000) - erf)).toBeLessThan(2e-15);
  });

  it('rounds int64 to float32 once, to nearest even', () => {
    // Via float64 first, 2^60 + 2^36 + 1 would become 2^60 + 2^36, a float32 tie, then 2^60.
    expect(bigintToFloat32(2n ** 60n + 2n ** 36n + 1n)).toBe(2 ** 60 + 2 ** 37);
    expect(bigintToFloat32(-(2n ** 60n + 2n ** 36n + 1n))).toBe(-(2 ** 60 + 2 ** 37));
    expect(bigintToFloat32(2n ** 60n + 2n ** 36n)).toBe(2 ** 60); // a true tie: to even
    expect(bigintToFloat32(16777217n)).toBe(16777216);
    expect(bigintToFloat32(2n ** 63n - 1n)).toBe(2 ** 63);
  });

  it('wraps integers to every dtype', () => {
    expect([300, -129, 128].map((v) => toDType('int8', v))).toEqual([44, 127, -128]);
    expect([256, -1].map((v) => toDType('uint8', v))).toEqual([0, 255]);
    expect(toDType('int64', 2n ** 63n)).toBe(-(2n ** 63n));
    expect(toDType('int64', -2.75)).toBe(-2n);
    expect(toDType('float64', 2n ** 53n + 1n)).toBe(2 ** 53);
  });

  it('rounds half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.4999].map((x) => roundHalfToEven(x) + 0)).toEqual([0, 2, 2, 0, -2, -2, 3]);
  });

  it('multiplies batched matrices', () => {
    // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] and int32 wrap-around of 65536 * 65536.
    expect(matmulReference('float32', [1, 2, 3, 4], [5, 6, 7, 8], [1, 2, 2], 2)).toEqual([19, 22, 43, 50]);
    expect(matmulReference('int32', [65536, 1], [65536, 5], [1, 1, 2], 1)).toEqual([5]);
    expect(matmulReference('int64', [2n ** 40n, 2n ** 40n], [2n ** 30n, 2n ** 30n + 1n], [1, 1, 2], 1)).toEqual([2n ** 40n]);
  });

  it('gathers and scatter-adds along a dim', () => {
    // torch.gather([[1, 2], [3, 4]], 1, [[0, 0], [1, 0]]) = [[1, 1], [4, 3]]
    expect(gatherReference([1, 2, 3, 4], [2, 2], 1, [0, 0, 1, 0], [2, 2])).toEqual([1, 1, 4, 3]);
    // torch.zeros(3).scatter_add_(0, [0, 2, 0], [1, 2, 3]) = [4, 0, 2]
    expect(scatterAddReference('float32', [3], 0, [0, 2, 0], [3], [1, 2, 3])).toEqual([4, 0, 2]);
  });
});

describe('layouts', () => {
  const values = Array.from({ length: 24 }, (_, i) => i + 1);
  for (const layout of LAYOUTS) {
    it(`${layout.name} stores the logical values`, () => {
      const spec = strided('int32', values, [2, 3, 4], layout.options(3));
      expect(logical(spec)).toEqual(values);
    });
  }

  it('a stepped layout leaves gaps, a transposed one permutes strides', () => {
    expect(strided('int32', [1, 2, 3], [3], { step: 2, offset: 1 }).view).toEqual({ shape: [3], strides: [2], offset: 1 });
    expect(strided('int32', values.slice(0, 6), [2, 3], { order: [1, 0] }).view.strides).toEqual([1, 2]);
  });

  it('broadcast repeats values through stride 0', () => {
    const spec = broadcast('float32', [1, 2], [2, 1], [2, 3], 2);
    expect(spec.view).toEqual({ shape: [2, 3], strides: [1, 0], offset: 2 });
    expect(logical(spec)).toEqual([1, 1, 1, 2, 2, 2]);
  });
});
