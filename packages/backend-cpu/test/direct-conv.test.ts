import type { ConvGeometry } from '@descent/backend';
import { afterAll, describe, expect, it } from 'vitest';
import { close, operand, values } from './unfold-operands.js';
import { getNumThreads, setNumThreads } from '../src/index.js';
import { forwardLoops, inputGradLoops, unfoldMatmul, unfoldMatmulInputGrad, unfoldMatmulWeightGrad, weightGradLoops } from '../src/unfold-matmul.js';
import { directPays, directPlan, tableMatches } from '../src/wasm/direct-conv-plan.js';
import { directConv, directConvInputGrad, directConvWeightGrad } from '../src/wasm/wasm-direct-conv.js';

/**
 * nn's window table for a stride-1 convolution (channel-major rows q = (c, ky, kx), positions (y, x)): the input
 * element each window reads, or the padding element C * H * W outside the input.
 */
function convTable(geo: ConvGeometry): { reads: Int32Array; kg: number; l: number; m: number } {
  const two = (v: readonly number[], fill: number): number[] => (v.length === 1 ? [fill, v[0]] : [...v]);
  const [h, w] = two(geo.input, 1);
  const [pt, pl] = two(geo.before, 0);
  const [pb, pr] = two(geo.after, 0);
  const [kh, kw] = two(geo.kernel, 1);
  const [dh, dw] = two(geo.dilation, 1);
  const oh = h + pt + pb - dh * (kh - 1);
  const ow = w + pl + pr - dw * (kw - 1);
  const padding = geo.channels * h * w;
  const reads: number[] = [];
  for (let c = 0; c < geo.channels; c++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        for (let y = 0; y < oh; y++) {
          for (let x = 0; x < ow; x++) {
            const [iy, ix] = [y + ky * dh - pt, x + kx * dw - pl];
            reads.push(iy >= 0 && iy < h && ix >= 0 && ix < w ? (c * h + iy) * w + ix : padding);
          }
        }
      }
    }
  }
  const padded = pt + pl + pb + pr > 0;
  return { reads: Int32Array.from(reads), kg: kh * kw, l: oh * ow, m: padding + (padded ? 1 : 0) };
}

const threads = getNumThreads();
afterAll(() => setNumThreads(threads));

const geometry = (channels: number, input: number[], before: number[], after: number[], kernel: number[], dilation: number[]): ConvGeometry => ({ channels, input, before, after, kernel, dilation });

describe('stride-1 convolutions with a geometry run the direct kernels, with the table path\'s results', { timeout: 120_000 }, () => {
  it.each([
    ['LeNet conv1 (padding 2)', 64, 1, 6, geometry(1, [28, 28], [2, 2], [2, 2], [5, 5], [1, 1])],
    ['LeNet conv2', 64, 1, 16, geometry(6, [14, 14], [0, 0], [0, 0], [5, 5], [1, 1])],
    ['odd sizes, uneven padding, dilation', 11, 1, 5, geometry(3, [9, 7], [1, 0], [2, 3], [3, 2], [2, 3])],
    ['groups', 10, 3, 2, geometry(6, [6, 8], [1, 1], [1, 1], [3, 3], [1, 1])],
    ['1-D', 9, 1, 7, geometry(4, [13], [3], [1], [4], [2])],
    ['a 1x1 kernel', 5, 2, 9, geometry(4, [5, 3], [0, 0], [0, 0], [1, 1], [1, 1])],
    ['a window as large as the padded input', 4, 1, 3, geometry(2, [3, 3], [1, 1], [1, 1], [5, 5], [1, 1])],
  ])('%s', (_, n, groups, og, geo) => {
    const table = convTable(geo);
    const perGroup = geo.channels / groups;
    const kg = perGroup * table.kg;
    // The table lists every channel's rows; each group's are its own channels'.
    const reads = table.reads;
    const { l, m } = table;
    const s = { n, m, groups, og, kg, l };
    const w = operand(values(groups * og * kg, 1), [groups, og, kg]);
    const padded = m === geo.channels * inputPlane(geo) + 1;
    // A padded input's last element is the padding value, zero (nn's windowSource).
    const x = operand(values(n * m, 2).map((v, i) => (padded && i % m === m - 1 ? 0 : v)), [n, m]);
    const index = operand(reads, [reads.length]);
    const grad = operand(values(n * groups * og * l, 4), [n, groups, og, l]);
    const bias = operand(values(groups * og, 5), [groups * og]);
    const [forward, weightGrad, inputGrad] = [forwardLoops(w, x, reads, s), weightGradLoops(grad, x, reads, s), inputGradLoops(w, grad, reads, s)];
    // The padding element's gradient (the last of a padded input's row) is left zero: nothing reads it back.
    if (padded) for (let i = m - 1; i < inputGrad.length; i += m) inputGrad[i] = 0;
    // The bias's gradient from a column of ones read by one more row per group, as autograd hands it.
    const ones = operand(Float32Array.from({ length: n * (m + 1) }, (_, i) => (i % (m + 1) === m ? 1 : (x.buffer as Float32Array)[i - Math.floor(i / (m + 1))])), [n, m + 1]);
    const withOnes = Int32Array.from({ length: groups * (kg + 1) * l }, (_, i) => {
      const [g, q, p] = [Math.floor(i / ((kg + 1) * l)), Math.floor(i / l) % (kg + 1), i % l];
      return q === kg ? m : reads[(g * kg + q) * l + p];
    });
    const sOnes = { ...s, m: m + 1, kg: kg + 1 };
    const plan = directPlan(geo, groups, kg, l, m);
    expect(plan).not.toBeNull();
    expect(tableMatches(reads, plan!, groups, kg)).toBe(true);
    // Bit for bit the same on 1 and 2 threads (the weight gradient sums fixed blocks of samples).
    const onThreads = (count: number): Float32Array[] => {
      setNumThreads(count);
      return [directConv(w, x, plan!, groups, null)!, directConvWeightGrad(grad, ones, plan!, groups, og, true)!, directConvInputGrad(w, grad, plan!, groups, m)!];
    };
    expect(onThreads(2)).toEqual(onThreads(1));
    for (const count of [1, 2]) {
      setNumThreads(count);
      // The same sums in the same order as the table's kernels: bit for bit.
      expect(unfoldMatmul(w, x, index, bias, geo)).toEqual(unfoldMatmul(w, x, index, bias));
      close(directConv(w, x, plan!, groups, null)!, forward, 'forward');
      close(directConvWeightGrad(grad, x, plan!, groups, og, false)!, weightGrad, 'weight gradient');
      close(directConvWeightGrad(grad, ones, plan!, groups, og, true)!, weightGradLoops(grad, ones, withOnes, sOnes), 'weight and bias gradient');
      close(directConvInputGrad(w, grad, plan!, groups, m)!, inputGrad, 'input gradient');
      // Through the backend's entry points, which check the table first.
      close(unfoldMatmulWeightGrad(grad, x, index, geo), weightGrad, 'weight gradient');
      close(unfoldMatmulWeightGrad(grad, ones, operand(withOnes, [withOnes.length]), geo), weightGradLoops(grad, ones, withOnes, sOnes), 'weight and bias gradient');
      // The table's path (where the cost model picks it) sums the padding element's reads there.
      const viaEntry = unfoldMatmulInputGrad(w, grad, index, m, geo);
      if (padded) for (let i = m - 1; i < viaEntry.length; i += m) viaEntry[i] = 0;
      close(viaEntry, inputGrad, 'input gradient');
    }
  });

  it('goes through the table when the table is not the geometry\'s', () => {
    const geo = geometry(2, [4, 4], [0, 0], [0, 0], [3, 3], [1, 1]);
    const { reads, kg, l } = convTable(geo);
    const moved = reads.slice();
    moved[5] = 0;
    expect(tableMatches(moved, directPlan(geo, 1, 2 * kg, l, 32)!, 1, 2 * kg)).toBe(false);
    // A geometry that does not fit the operands' sizes is no plan at all.
    expect(directPlan(geo, 1, 2 * kg, l, 33)).toBeNull();
    expect(directPlan({ ...geo, input: [4, 4, 4] }, 1, 2 * kg, l, 32)).toBeNull();
    const n = 3;
    const w = operand(values(2 * 2 * kg, 1), [1, 2, 2 * kg]);
    const x = operand(values(n * 32, 2), [n, 32]);
    const s = { n, m: 32, groups: 1, og: 2, kg: 2 * kg, l };
    close(unfoldMatmul(w, x, operand(moved, [moved.length]), null, geo), forwardLoops(w, x, moved, s), 'forward');
  });

  it('goes through the table when a padding element is not zero', () => {
    const geo = geometry(1, [3, 3], [1, 1], [1, 1], [3, 3], [1, 1]);
    const { reads, kg, l, m } = convTable(geo);
    const w = operand(values(2 * kg, 1), [1, 2, kg]);
    const x = operand(values(2 * m, 2), [2, m]);
    const s = { n: 2, m, groups: 1, og: 2, kg, l };
    close(unfoldMatmul(w, x, operand(reads, [reads.length]), null, geo), forwardLoops(w, x, reads, s), 'forward');
  });
});

describe('the cost model picks the kernels measured faster on one thread', () => {
  it('LeNet: both forwards and the first layer\'s weight gradient go direct, the second layer\'s gradients through the table', () => {
    const conv1 = directPlan(geometry(1, [28, 28], [2, 2], [2, 2], [5, 5], [1, 1]), 1, 25, 784, 785)!;
    const conv2 = directPlan(geometry(6, [14, 14], [0, 0], [0, 0], [5, 5], [1, 1]), 1, 150, 100, 1176)!;
    expect([directPays('forward', conv1, 1, 6), directPays('weightGrad', conv1, 1, 6), directPays('inputGrad', conv1, 1, 6)]).toEqual([true, true, false]);
    expect([directPays('forward', conv2, 1, 16), directPays('weightGrad', conv2, 1, 16), directPays('inputGrad', conv2, 1, 16)]).toEqual([true, false, false]);
    // A padded 3x3 layer of 32 channels: the direct forward and input gradient.
    const same = directPlan(geometry(32, [16, 16], [1, 1], [1, 1], [3, 3], [1, 1]), 1, 288, 256, 32 * 256 + 1)!;
    expect([directPays('forward', same, 1, 32), directPays('inputGrad', same, 1, 32)]).toEqual([true, true]);
  });
});

/** H * W of a geometry's input. */
function inputPlane(geo: ConvGeometry): number {
  return geo.input.reduce((a, b) => a * b, 1);
}
