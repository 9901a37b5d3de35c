import { SPEC_VERSION, contiguousView, type Backend, type HostArray, type Operand } from '@descent/backend';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.js';

// Through the spec's interface, as the tensor layer sees it.
const backend: Backend<HostArray> = createCpuBackend();

function float32(values: number[], shape: number[]): Operand<HostArray> {
  return { buffer: backend.upload(Float32Array.from(values), 'float32'), view: contiguousView(shape), dtype: 'float32' };
}

describe('CPU backend', () => {
  it('implements the current spec', () => {
    expect(backend.specVersion).toBe(SPEC_VERSION);
    expect(backend.name).toBe('cpu');
  });

  it('adds a row broadcast through a stride of 0', () => {
    const a = float32([1, 2, 3, 4, 5, 6], [2, 3]);
    const row = float32([10, 20, 30], [3]);
    const broadcastRow = { ...row, view: { shape: [2, 3], strides: [0, 1], offset: 0 } };
    const out = backend.binary('add', a, broadcastRow);
    expect(Array.from(backend.readSync!(out, 'float32', 6) as Float32Array)).toEqual([11, 22, 33, 14, 25, 36]);
  });

  it('multiplies matrices and sums trailing axes', () => {
    const a = float32([1, 2, 3, 4, 5, 6], [1, 2, 3]);
    const b = float32([7, 8, 9, 10, 11, 12], [1, 3, 2]);
    const product = backend.matmul(a, b);
    expect(Array.from(backend.readSync!(product, 'float32', 4) as Float32Array)).toEqual([58, 64, 139, 154]);
    const sums = backend.reduce('sum', float32([1, 2, 3, 4, 5, 6], [2, 3]), 1);
    expect(Array.from(backend.readSync!(sums, 'float32', 2) as Float32Array)).toEqual([6, 15]);
  });
});
