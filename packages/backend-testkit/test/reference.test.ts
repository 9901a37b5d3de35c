import type { BinaryOp, DType, ReduceOp, UnaryOp } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { describeMismatches } from '../src/compare.js';
import { LAYOUTS, broadcast, logical, strided } from '../src/layouts.js';
import { DEFAULT_TOLERANCE, type ToleranceKind } from '../src/options.js';
import {
  binaryOutputDType,
  binaryReference,
  castReference,
  erfReference,
  gatherReference,
  matmulReference,
  reduceReference,
  roundHalfToEven,
  scatterAddReference,
  unaryReference,
} from '../src/reference.js';
import { loadFixture } from './fixtures.js';

interface EdgeCase {
  readonly kind: 'unary' | 'binary' | 'reduce' | 'cast';
  readonly op: string;
  readonly dtype: DType;
  readonly inputs: number[][];
  readonly output: number[];
  readonly columns?: number;
}

const TRANSCENDENTAL = new Set(['exp', 'log', 'sqrt', 'rsqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'erf', 'pow']);

const toBool = (values: readonly number[]): number[] => values.map((v) => (v !== 0 ? 1 : 0)); // NaN is true

/**
 * PyTorch ops the spec has no op for, composed as the tensor layer composes them: gt/ge are lt/le with swapped
 * operands, and logical and/or cast to bool, then take minimum/maximum. The PyTorch fixture checks the compositions.
 */
const COMPOSED: Partial<Record<string, (a: number[], b: number[], dtype: DType) => number[]>> = {
  gt: (a, b, dtype) => binaryReference('lt', dtype, b, a),
  ge: (a, b, dtype) => binaryReference('le', dtype, b, a),
  logicalAnd: (a, b) => binaryReference('minimum', 'bool', toBool(a), toBool(b)),
  logicalOr: (a, b) => binaryReference('maximum', 'bool', toBool(a), toBool(b)),
};

function referenceFor(c: EdgeCase): { values: number[]; dtype: DType } {
  switch (c.kind) {
    case 'unary':
      return { values: unaryReference(c.op as UnaryOp, c.dtype, c.inputs[0]), dtype: c.op === 'logicalNot' ? 'bool' : c.dtype };
    case 'binary': {
      const [a, b] = c.inputs;
      const composed = COMPOSED[c.op];
      if (composed) return { values: composed(a, b, c.dtype), dtype: 'bool' };
      return { values: binaryReference(c.op as BinaryOp, c.dtype, a, b), dtype: binaryOutputDType(c.op as BinaryOp, c.dtype) };
    }
    case 'reduce': {
      const shape = [c.inputs[0].length / c.columns!, c.columns!];
      const arg = c.op === 'argmax' || c.op === 'argmin';
      return { values: reduceReference(c.op as ReduceOp, c.dtype, c.inputs[0], shape, 1), dtype: arg ? 'int32' : c.dtype };
    }
    case 'cast':
      return { values: castReference(c.inputs[0], c.op as DType), dtype: c.op as DType };
  }
}

describe('the reference agrees with PyTorch 1.13 on edge cases', () => {
  const { cases } = loadFixture<{ cases: EdgeCase[] }>('pytorch-edge-cases');
  it('has the recorded cases', () => expect(cases.length).toBeGreaterThan(80));
  for (const c of cases) {
    it(`${c.kind} ${c.op} (${c.dtype})`, () => {
      const { values, dtype } = referenceFor(c);
      const kind: ToleranceKind = TRANSCENDENTAL.has(c.op) ? 'transcendental' : c.kind === 'reduce' ? 'reduction' : 'elementwise';
      const problem = describeMismatches(`${c.kind} ${c.op}`, values, { dtype, shape: [values.length], values: c.output, kind }, DEFAULT_TOLERANCE);
      expect(problem).toBeUndefined();
    });
  }
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

  it('rounds half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.4999].map((x) => roundHalfToEven(x) + 0)).toEqual([0, 2, 2, 0, -2, -2, 3]);
  });

  it('multiplies batched matrices', () => {
    // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] and int32 wrap-around of 65536 * 65536.
    expect(matmulReference('float32', [1, 2, 3, 4], [5, 6, 7, 8], [1, 2, 2], 2)).toEqual([19, 22, 43, 50]);
    expect(matmulReference('int32', [65536, 1], [65536, 5], [1, 1, 2], 1)).toEqual([5]);
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
