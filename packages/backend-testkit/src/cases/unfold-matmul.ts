/**
 * Cases for the optional `unfoldMatmul`, `unfoldMatmulWeightGrad` and `unfoldMatmulInputGrad` (a convolution's
 * products with the window reads gathered in the kernel), against float64 loops: groups of 1 and 2, output rows
 * and positions that fill no whole tile, windows reading one element twice (as padding reads do), int64 and int32
 * reads, and operands stored transposed.
 */
import { dyadic, integers } from '../data.js';
import { contiguous, logicalNumbers, strided, reversedOrder, type StridedSpec } from '../layouts.js';
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

function unfoldCase(method: Method, title: string, s: Sizes, layouts: { transposedX?: boolean; int32?: boolean; bias?: boolean } = {}): ConformanceCase {
  const { n, m, groups, og, kg, l } = s;
  const seed = n * 7 + m * 3 + og + kg * 5 + l;
  const weight = contiguous('float32', dyadic(groups * og * kg, seed), [groups, og, kg]);
  const x: StridedSpec = layouts.transposedX
    ? strided('float32', dyadic(n * m, seed + 1), [n, m], { order: reversedOrder(2) })
    : contiguous('float32', dyadic(n * m, seed + 1), [n, m]);
  // Reads in range, with repeats (every window reads index 0 at least once, as padding reads do).
  const readValues = integers(groups * kg * l, 0, m - 1, seed + 2).map((v, i) => (i % 5 === 0 ? 0 : v));
  const index = contiguous(layouts.int32 ? 'int32' : 'int64', readValues, [groups * kg * l]);
  const grad = contiguous('float32', dyadic(n * groups * og * l, seed + 3), [n, groups, og, l]);
  // A bias read through a stride and an offset, as a view of a larger tensor would be.
  const bias = layouts.bias ? strided('float32', dyadic(groups * og, seed + 4), [groups * og], { step: 2, offset: 1 }) : null;
  return {
    title: [title],
    run: async (h) => {
      const ref = references(s, logicalNumbers(weight), logicalNumbers(x), readValues, logicalNumbers(grad));
      if (method === 'unfoldMatmul') {
        const out = h.optional(method, (b) => b.unfoldMatmul(h.input(weight), h.input(x), h.input(index), bias && h.input(bias)));
        // With a bias, each value is the product rounded to float32, then the bias added and rounded again.
        const b = bias ? logicalNumbers(bias) : null;
        const values = b ? ref.forward.values.map((v, i) => Math.fround(v) + b[Math.floor(i / l) % (groups * og)]) : ref.forward.values;
        const scale = b ? ref.forward.scale.map((v, i) => v + Math.abs(b[Math.floor(i / l) % (groups * og)])) : ref.forward.scale;
        await h.expectBuffer('forward', out, { dtype: 'float32', shape: [n, groups, og, l], values, scale, kind: 'reduction' });
      } else if (method === 'unfoldMatmulWeightGrad') {
        const dw = h.optional(method, (b) => b.unfoldMatmulWeightGrad(h.input(grad), h.input(x), h.input(index)));
        await h.expectBuffer('weight gradient', dw, { dtype: 'float32', shape: [groups, og, kg], values: ref.weight.values, scale: ref.weight.scale, kind: 'reduction' });
      } else {
        const dx = h.optional(method, (b) => b.unfoldMatmulInputGrad(h.input(weight), h.input(grad), h.input(index), m));
        await h.expectBuffer('input gradient', dx, { dtype: 'float32', shape: [n, m], values: ref.input.values, scale: ref.input.scale, kind: 'reduction' });
      }
    },
  };
}

/** The same five problems for each of the three methods. */
export const unfoldMatmulCases = (method: Method) => (): ConformanceCase[] => [
  unfoldCase(method, 'one group, tiles not filled', { n: 3, m: 30, groups: 1, og: 5, kg: 9, l: 13 }),
  unfoldCase(method, 'two groups, int32 reads, a strided bias', { n: 2, m: 17, groups: 2, og: 3, kg: 4, l: 8 }, { int32: true, bias: true }),
  unfoldCase(method, 'one output row and one position', { n: 4, m: 6, groups: 1, og: 1, kg: 3, l: 1 }),
  unfoldCase(method, 'x stored transposed', { n: 5, m: 12, groups: 1, og: 6, kg: 7, l: 10 }, { transposedX: true }),
  unfoldCase(method, 'many samples (threads split them), a bias', { n: 40, m: 50, groups: 1, og: 8, kg: 12, l: 36 }, { bias: true }),
];
