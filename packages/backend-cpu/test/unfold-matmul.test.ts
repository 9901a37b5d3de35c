import type { HostArray, Operand } from '@descent/backend';
import { afterAll, describe, expect, it } from 'vitest';
import { close, operand, values } from './unfold-operands.js';
import { setNumThreads, getNumThreads } from '../src/index.js';
import { forwardLoops, inputGradLoops, unfoldMatmul, unfoldMatmulInputGrad, unfoldMatmulWeightGrad, weightGradLoops } from '../src/unfold-matmul.js';

const threads = getNumThreads();
afterAll(() => setNumThreads(threads));

describe('the fused convolution products (unfoldMatmul*) on the Wasm kernels match the plain loops, on 1 and 2 threads', { timeout: 120_000 }, () => {
  // LeNet's two layers (the first reads a padding element), and a grouped one with odd sizes.
  it.each([
    [64, 785, 1, 6, 25, 784],
    [64, 1176, 1, 16, 150, 100],
    [9, 300, 3, 5, 18, 37],
  ])('%i samples of %i, %i groups of %i outputs over %i rows of %i positions', (n, m, groups, og, kg, l) => {
    const s = { n, m, groups, og, kg, l };
    const w = operand(values(groups * og * kg, 1), [groups, og, kg]);
    const x = operand(values(n * m, 2), [n, m]);
    const reads = Int32Array.from(values(groups * kg * l, 3), (v, i) => (i % 7 === 0 ? m - 1 : Math.floor(((v + 1) / 2) * m) % m));
    const index = operand(reads, [reads.length]);
    const grad = operand(values(n * groups * og * l, 4), [n, groups, og, l]);
    const expected = [forwardLoops(w, x, reads, s), weightGradLoops(grad, x, reads, s), inputGradLoops(w, grad, reads, s)];
    for (const count of [1, 2]) {
      setNumThreads(count);
      close(unfoldMatmul(w, x, index, null), expected[0]);
      close(unfoldMatmulWeightGrad(grad, x, index), expected[1]);
      close(unfoldMatmulInputGrad(w, grad, index, m), expected[2]);
    }
  });

  it.each([
    [64, 785, 1, 6, 25, 784],
    [9, 300, 3, 5, 18, 37],
  ])('adds the bias on the kernel memory as a separate float32 add would: %i samples of %i, %i groups of %i outputs over %i rows of %i positions', (n, m, groups, og, kg, l) => {
    const w = operand(values(groups * og * kg, 1), [groups, og, kg]);
    const x = operand(values(n * m, 2), [n, m]);
    const index = operand(Int32Array.from(values(groups * kg * l, 3), (v) => Math.floor(((v + 1) / 2) * m) % m), [groups * kg * l]);
    // Every other element of a longer vector: a strided bias.
    const channels = groups * og;
    const bias: Operand<HostArray> = { buffer: values(2 * channels, 5).map((v) => v * 100), dtype: 'float32', view: { shape: [channels], strides: [2], offset: 1 } };
    for (const count of [1, 2]) {
      setNumThreads(count);
      const product = unfoldMatmul(w, x, index, null);
      const expected = product.map((v, i) => Math.fround(v + (bias.buffer as Float32Array)[1 + 2 * (Math.floor(i / l) % channels)]));
      expect(unfoldMatmul(w, x, index, bias)).toEqual(expected);
    }
  });

  it('raises PyTorch\'s out-of-bounds error for a read outside the input', () => {
    const w = operand(values(4, 1), [1, 2, 2]);
    const x = operand(values(6, 2), [2, 3]);
    expect(() => unfoldMatmul(w, x, operand(Int32Array.from([0, 3]), [2]), null)).toThrow('index 3 is out of bounds for dimension 1 with size 3');
  });
});
