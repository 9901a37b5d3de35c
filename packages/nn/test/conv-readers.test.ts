import { describe, expect, it } from 'vitest';
import '@descent/autograd';
import * as torch from '@descent/tensor';
import { slidingDim, windowTable } from '../src/functional/windows.js';

/** A deterministic stream, so a failure reproduces. */
function values(count: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1));
}

describe('the convolution input gradient gathered through the readers table equals col2im by scatter-add', () => {
  // [channels, size, kernel, stride, dilation, padding, groups, out channels]
  it.each([
    [1, 8, 3, 1, 1, 1, 1, 2],
    [4, 9, 3, 2, 1, 0, 2, 6],
    [2, 7, 2, 1, 2, 2, 1, 3],
  ])('%i channels of %i x %i, kernel %i, stride %i, dilation %i, padding %i, groups %i', (c, size, kernel, stride, dilation, padding, groups, outChannels) => {
    const output = Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
    const dim = slidingDim(size, output, kernel, stride, dilation, padding);
    const table = windowTable('readers-test', 'kernelMajor', c, [dim, dim], [size, kernel, stride, dilation, padding]);
    const n = 3;
    const width = c * table.spatial + (table.padded ? 1 : 0);
    const kg = (c / groups) * table.kernel;
    const og = outChannels / groups;
    const weight = torch.tensor(values(groups * og * kg, 1)).reshape(groups, og, kg);
    const grad = torch.tensor(values(n * groups * og * table.positions, 2)).reshape(n, groups, og, table.positions);
    const index = table.indexOn(torch.cpu).reshape([-1]);
    const readers = table.readers(torch.cpu);
    const scattered = torch.composedInputGrad(weight, grad, index, width, null);
    const gathered = torch.composedInputGrad(weight, grad, index, width, readers);
    const fused = torch.unfoldMatmulInputGrad(weight, grad, index, width);
    // The padding element (the last, if any) gets no gradient from the readers table: it is dropped anyway.
    const real = c * table.spatial;
    expect(gathered.narrow(1, 0, real).sub(scattered.narrow(1, 0, real)).abs().max().item()).toBeLessThan(1e-5);
    expect(fused.narrow(1, 0, real).sub(scattered.narrow(1, 0, real)).abs().max().item()).toBeLessThan(1e-5);
    expect(scattered.narrow(1, 0, real).abs().sum().item()).toBeGreaterThan(0);
  });
});
