/**
 * Cases for the optional `unfoldMatmul`, `unfoldMatmulWeightGrad` and `unfoldMatmulInputGrad` (a convolution's
 * products with the window reads gathered in the kernel), against float64 loops: groups of 1 and 2, output rows
 * and positions that fill no whole tile, windows reading one element twice (as padding reads do), int64 and int32
 * reads, and operands stored transposed.
 */
import { dyadic, integers } from '../data.js';
import { contiguous, logicalNumbers, strided, reversedOrder, type StridedSpec } from '../layouts.js';
import type { ConvGeometry } from '@descent/backend';
import type { ConformanceCase } from './case.js';

interface Sizes {
  n: number;
  m: number;
  groups: number;
  og: number;
  kg: number;
  l: number;
}

/** The three references with the sums of absolute terms their rounding scales with. */
function references(s: Sizes, w: number[], x: number[], reads: number[], g: number[]) {
  const { n, m, groups, og, kg, l } = s;
  const forward = { values: [] as number[], scale: [] as number[] };
  for (let i = 0; i < n; i++) {
    for (let gr = 0; gr < groups; gr++) {
      for (let o = 0; o < og; o++) {
        for (let p = 0; p < l; p++) {
          let [sum, abs] = [0, 0];
          for (let q = 0; q < kg; q++) {
            const t = w[(gr * og + o) * kg + q] * x[i * m + reads[(gr * kg + q) * l + p]];
            sum += t;
            abs += Math.abs(t);
          }
          forward.values.push(sum);
          forward.scale.push(abs);
        }
      }
    }
  }
  const weight = { values: new Array<number>(groups * og * kg).fill(0), scale: new Array<number>(groups * og * kg).fill(0) };
  const input = { values: new Array<number>(n * m).fill(0), scale: new Array<number>(n * m).fill(0) };
  for (let i = 0; i < n; i++) {
    for (let gr = 0; gr < groups; gr++) {
      for (let o = 0; o < og; o++) {
        for (let q = 0; q < kg; q++) {
          for (let p = 0; p < l; p++) {
            const at = reads[(gr * kg + q) * l + p];
            const grad = g[((i * groups + gr) * og + o) * l + p];
            const tw = grad * x[i * m + at];
            weight.values[(gr * og + o) * kg + q] += tw;
            weight.scale[(gr * og + o) * kg + q] += Math.abs(tw);
            const ti = grad * w[(gr * og + o) * kg + q];
            input.values[i * m + at] += ti;
            input.scale[i * m + at] += Math.abs(ti);
          }
        }
      }
    }
  }
  return { forward, weight, input };
}

type Method = 'unfoldMatmul' | 'unfoldMatmulWeightGrad' | 'unfoldMatmulInputGrad';

interface Layouts {
  transposedX?: boolean;
  int32?: boolean;
  bias?: boolean;
  /** A stride-1 convolution's table (nn's layout, the padding element last and zero), with its geometry hint. */
  conv?: ConvGeometry;
}

/** nn's table for a stride-1 convolution: rows (c, ky, kx), positions (y, x), reads outside the input at C * H * W. */
export function convReads(geo: ConvGeometry): number[] {
  const two = (v: readonly number[], fill: number): number[] => (v.length === 1 ? [fill, v[0]] : [...v]);
  const [[h, w], [top, left], [bottom, right], [kh, kw], [dh, dw]] = [two(geo.input, 1), two(geo.before, 0), two(geo.after, 0), two(geo.kernel, 1), two(geo.dilation, 1)];
  const [oh, ow] = [h + top + bottom - dh * (kh - 1), w + left + right - dw * (kw - 1)];
  const reads: number[] = [];
  for (let c = 0; c < geo.channels; c++) {
    for (let k = 0; k < kh * kw; k++) {
      for (let p = 0; p < oh * ow; p++) {
        const [iy, ix] = [Math.floor(p / ow) + Math.floor(k / kw) * dh - top, (p % ow) + (k % kw) * dw - left];
        reads.push(iy >= 0 && iy < h && ix >= 0 && ix < w ? (c * h + iy) * w + ix : geo.channels * h * w);
      }
    }
  }
  return reads;
}

function unfoldCase(method: Method, title: string, s: Sizes, layouts: Layouts = {}): ConformanceCase {
  const { n, m, groups, og, kg, l } = s;
  const seed = n * 7 + m * 3 + og + kg * 5 + l;
  const geometry = layouts.conv ?? null;
  const weight = contiguous('float32', dyadic(groups * og * kg, seed), [groups, og, kg]);
  // A convolution's padding element (its last) is zero, as nn writes it.
  const padding = geometry ? geometry.channels * geometry.input.reduce((a, b) => a * b, 1) : -1;
  const xValues = dyadic(n * m, seed + 1).map((v, i) => (i % m === padding ? 0 : v));
  const x: StridedSpec = layouts.transposedX
    ? strided('float32', xValues, [n, m], { order: reversedOrder(2) })
    : contiguous('float32', xValues, [n, m]);
  // Reads in range, with repeats (every window reads index 0 at least once, as padding reads do).
  const readValues = geometry ? convReads(geometry) : integers(groups * kg * l, 0, m - 1, seed + 2).map((v, i) => (i % 5 === 0 ? 0 : v));
  const index = contiguous(layouts.int32 ? 'int32' : 'int64', readValues, [groups * kg * l]);
  const grad = contiguous('float32', dyadic(n * groups * og * l, seed + 3), [n, groups, og, l]);
  // A bias read through a stride and an offset, as a view of a larger tensor would be.
  const bias = layouts.bias ? strided('float32', dyadic(groups * og, seed + 4), [groups * og], { step: 2, offset: 1 }) : null;
  return {
    title: [title],
    run: async (h) => {
      const ref = references(s, logicalNumbers(weight), logicalNumbers(x), readValues, logicalNumbers(grad));
      if (method === 'unfoldMatmul') {
        const out = h.optional(method, (b) => b.unfoldMatmul(h.input(weight), h.input(x), h.input(index), bias && h.input(bias), geometry));
        // With a bias, each value is the product rounded to float32, then the bias added and rounded again.
        const b = bias ? logicalNumbers(bias) : null;
        const values = b ? ref.forward.values.map((v, i) => Math.fround(v) + b[Math.floor(i / l) % (groups * og)]) : ref.forward.values;
        const scale = b ? ref.forward.scale.map((v, i) => v + Math.abs(b[Math.floor(i / l) % (groups * og)])) : ref.forward.scale;
        await h.expectBuffer('forward', out, { dtype: 'float32', shape: [n, groups, og, l], values, scale, kind: 'reduction' });
      } else if (method === 'unfoldMatmulWeightGrad') {
        const dw = h.optional(method, (b) => b.unfoldMatmulWeightGrad(h.input(grad), h.input(x), h.input(index), geometry));
        await h.expectBuffer('weight gradient', dw, { dtype: 'float32', shape: [groups, og, kg], values: ref.weight.values, scale: ref.weight.scale, kind: 'reduction' });
      } else {
        const dx = h.optional(method, (b) => b.unfoldMatmulInputGrad(h.input(weight), h.input(grad), h.input(index), m, geometry));
        await h.expectBuffer('input gradient', dx, { dtype: 'float32', shape: [n, m], values: ref.input.values, scale: ref.input.scale, kind: 'reduction' });
      }
    },
  };
}

const conv = (channels: number, input: number[], pad: number[], kernel: number[], dilation: number[]): ConvGeometry => ({ channels, input, before: pad, after: pad, kernel, dilation });
const padded = conv(4, [5, 6], [1, 2], [3, 2], [1, 2]);
const unpadded = conv(3, [6, 7], [0, 0], [2, 3], [2, 1]);

/** The same problems for each of the three methods; the convolutions with their geometry hint last. */
export const unfoldMatmulCases = (method: Method) => (): ConformanceCase[] => [
  unfoldCase(method, 'one group, tiles not filled', { n: 3, m: 30, groups: 1, og: 5, kg: 9, l: 13 }),
  unfoldCase(method, 'two groups, int32 reads, a strided bias', { n: 2, m: 17, groups: 2, og: 3, kg: 4, l: 8 }, { int32: true, bias: true }),
  unfoldCase(method, 'one output row and one position', { n: 4, m: 6, groups: 1, og: 1, kg: 3, l: 1 }),
  unfoldCase(method, 'x stored transposed', { n: 5, m: 12, groups: 1, og: 6, kg: 7, l: 10 }, { transposedX: true }),
  unfoldCase(method, 'many samples (threads split them), a bias', { n: 40, m: 50, groups: 1, og: 8, kg: 12, l: 36 }, { bias: true }),
  // 2 groups of 2 channels over a 5x6 input padded (1, 2), a 3x2 kernel dilated (1, 2): 5x8 outputs. The input
  // gradient's padding element is left out (a backend may leave it zero).
  ...(method === 'unfoldMatmulInputGrad' ? [] : [unfoldCase(method, 'a padded stride-1 convolution with its geometry', { n: 9, m: 121, groups: 2, og: 5, kg: 12, l: 40 }, { int32: true, bias: true, conv: padded })]),
  // One group of 3 channels, 6x7 unpadded, a 2x3 kernel dilated (2, 1): 4x5 outputs.
  unfoldCase(method, 'an unpadded stride-1 convolution with its geometry', { n: 17, m: 126, groups: 1, og: 6, kg: 18, l: 20 }, { int32: true, conv: unpadded }),
];
