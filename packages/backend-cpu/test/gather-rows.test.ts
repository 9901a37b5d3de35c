import type { HostArray, Operand } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { gather, scatterAdd } from '../src/gather.js';
import { gatherRows, scatterAddRows } from '../src/gather-rows.js';

function operand(buffer: HostArray, shape: number[], strides: number[], offset = 0): Operand<HostArray> {
  const dtype = buffer instanceof Float32Array ? 'float32' : buffer instanceof BigInt64Array ? 'int64' : 'int32';
  return { buffer, dtype, view: { shape, strides, offset } } as Operand<HostArray>;
}

/** A deterministic pseudo-random stream, so a failure reproduces. */
function stream(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

describe('gather and scatterAdd along the last dim: the fast path gives the generic loop\'s values', () => {
  const next = stream(7);
  // [leading shape, width of x, width of the index, index row broadcast?, x leading strides padded by]
  const cases: [number[], number, number, boolean, number][] = [
    [[5], 7, 9, false, 0],
    [[3, 4], 6, 2, false, 3],
    [[2, 3], 5, 11, true, 1],
    [[4], 3, 1, false, 0],
    [[], 8, 5, false, 0],
  ];

  it.each(cases)('leading %j, x width %i, index width %i, broadcast %s, padded %i', (lead, xWidth, iWidth, broadcast, pad) => {
    const rows = lead.reduce((a, b) => a * b, 1);
    // x with padded leading strides (a view into a larger buffer, as a narrow leaves it).
    const xStrides = lead.map((_, d) => lead.slice(d + 1).reduce((a, b) => a * b, 1) * (xWidth + pad));
    const x = Float32Array.from({ length: rows * (xWidth + pad) + 1 }, () => next() * 2 - 1);
    const xOp = operand(x, [...lead, xWidth], [...xStrides, 1], 1);
    for (const kind of ['int64', 'int32'] as const) {
      const count = broadcast ? iWidth : rows * iWidth;
      const values = Array.from({ length: count }, () => Math.floor(next() * xWidth));
      const buffer = kind === 'int64' ? BigInt64Array.from(values.map(BigInt)) : Int32Array.from(values);
      const iStrides = lead.map((_, d) => (broadcast ? 0 : lead.slice(d + 1).reduce((a, b) => a * b, 1) * iWidth));
      const index = operand(buffer, [...lead, iWidth], [...iStrides, 1]);
      const fast = gatherRows(xOp, lead.length, index);
      expect(fast).not.toBeNull();
      expect(Array.from(fast as Float32Array)).toEqual(Array.from(gather(xOp, lead.length, index) as Float32Array));

      const src = operand(Float32Array.from({ length: rows * iWidth }, () => next()), [...lead, iWidth], [...iStrides.map((_, d) => lead.slice(d + 1).reduce((a, b) => a * b, 1) * iWidth), 1]);
      const shape = [...lead, xWidth];
      const added = scatterAddRows(shape, lead.length, index, src);
      expect(added).not.toBeNull();
      expect(Array.from(added as Float32Array)).toEqual(Array.from(scatterAdd(shape, lead.length, index, src) as Float32Array));
    }
  });

  it('raises the generic error for an index out of range, and leaves int64 values past int32 to the generic loop', () => {
    const x = operand(new Float32Array(6), [2, 3], [3, 1]);
    expect(() => gatherRows(x, 1, operand(Int32Array.from([0, 3]), [2, 1], [1, 1]))).toThrow('index 3 is out of bounds for dimension 1 with size 3');
    expect(() => gatherRows(x, 1, operand(Int32Array.from([-1, 0]), [2, 1], [1, 1]))).toThrow('index -1 is out of bounds for dimension 1 with size 3');
    const src = operand(Float32Array.from([1, 2]), [2, 1], [1, 1]);
    expect(() => scatterAddRows([2, 3], 1, operand(Int32Array.from([2, 3]), [2, 1], [1, 1]), src)).toThrow('index 3 is out of bounds for dimension 1 with size 3');
    expect(Array.from(scatterAddRows([2, 3], 1, operand(Int32Array.from([2, 0]), [2, 1], [1, 1]), src) as Float32Array)).toEqual([0, 0, 1, 2, 0, 0]);
    expect(() => gatherRows(x, 1, operand(BigInt64Array.from([0n, -1n]), [2, 1], [1, 1]))).toThrow('index -1 is out of bounds for dimension 1 with size 3');
    expect(gatherRows(x, 1, operand(BigInt64Array.from([0n, 2n ** 40n]), [2, 1], [1, 1]))).toBeNull();
    expect(() => gather(x, 1, operand(BigInt64Array.from([0n, 2n ** 40n]), [2, 1], [1, 1]))).toThrow('out of bounds');
  });
});
