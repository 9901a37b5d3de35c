import type { ConvGeometry, HostArray, Operand } from '@descent/backend';
import { rowIndex } from './gather-rows.js';
import { contiguousAny } from './strided.js';
import { directPays, directPlan, tableMatches, type DirectPlan } from './wasm/direct-conv-plan.js';
import { directConv, directConvInputGrad, directConvWeightGrad } from './wasm/wasm-direct-conv.js';
import { rowsContiguous, wasmUnfoldMatmul, wasmUnfoldMatmulInputGrad, wasmUnfoldMatmulWeightGrad, type UnfoldSizes } from './wasm/wasm-unfold.js';

/**
 * The spec's `unfoldMatmul*` (a convolution's products with the window reads gathered in the kernel) on float32:
 * the Wasm kernels (wasm-unfold.ts), or, where the runtime has no Wasm SIMD, plain loops with the same float32
 * sums. Operands whose rows are not contiguous are copied first.
 */

/** `x` itself if its rows are contiguous, else a contiguous copy with the same shape. */
function rowMajor(x: Operand<HostArray>): Operand<HostArray> {
  if (rowsContiguous(x)) return x;
  const shape = x.view.shape;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  return { buffer: contiguousAny(x), dtype: x.dtype, view: { shape: [...shape], strides, offset: 0 } };
}

/** The window reads as checked int32 values in [0, m), with PyTorch's gather error for one outside. */
function table(index: Operand<HostArray>, m: number): Int32Array {
  const length = index.view.shape[0];
  const flat: Operand<HostArray> = { ...index, buffer: contiguousAny(index), view: { shape: [length], strides: [1], offset: 0 } };
  const checked = rowIndex(flat, length, new Int32Array([0]), false, 1, m);
  if (checked === null) throw new RangeError(`unfoldMatmul: a window read is out of bounds for dimension 1 with size ${m}`);
  return checked.idx.slice(0, length);
}

/** Element (i, j, k) of a contiguous 3-D or (i, j) of a 2-D float32 operand. */
const data = (x: Operand<HostArray>): Float32Array => x.buffer as Float32Array;

type Product = Parameters<typeof directPays>[0];

/**
 * The direct plan for a stride-1 convolution's hint (see ConvGeometry) where the cost model picks the direct kernel
 * for this product (`og` outputs a group), once the table (`rowsPerGroup` window rows a group, int32 and contiguous,
 * as nn hands it) is checked to be the hint's; null to go through the table.
 */
function checkedPlan(product: Product, og: number, geometry: ConvGeometry | null | undefined, index: Operand<HostArray>, groups: number, kg: number, l: number, m: number, rowsPerGroup = kg): DirectPlan | null {
  const plan = directPlan(geometry, groups, kg, l, m);
  const { buffer, view } = index;
  if (plan === null || !directPays(product, plan, groups, og)) return null;
  if (!(buffer instanceof Int32Array) || view.strides[0] !== 1 || view.shape[0] !== groups * rowsPerGroup * l) return null;
  const reads = buffer.subarray(view.offset, view.offset + view.shape[0]);
  return tableMatches(reads, plan, groups, rowsPerGroup) ? plan : null;
}

/** Whether every sample's padding element (x's element C * H * W, where the plan pads) is zero, as the planes' borders are. */
function zeroPadding(x: Operand<HostArray>, plan: DirectPlan): boolean {
  const at = plan.channels * plan.h * plan.w;
  if (at === x.view.shape[1]) return true;
  const values = x.buffer as Float32Array;
  for (let i = 0; i < x.view.shape[0]; i++) if (values[x.view.offset + i * x.view.strides[0] + at * x.view.strides[1]] !== 0) return false;
  return true;
}

export function unfoldMatmul(weight: Operand<HostArray>, x: Operand<HostArray>, index: Operand<HostArray>, bias: Operand<HostArray> | null, geometry?: ConvGeometry | null): Float32Array {
  const [groups, og, kg] = weight.view.shape;
  const [n, m] = x.view.shape;
  const s: UnfoldSizes = { n, m, groups, og, kg, l: index.view.shape[0] / (groups * kg) };
  const w = rowMajor(weight);
  const xs = rowMajor(x);
  const biasValues = bias === null ? null : channelBias(bias, groups * og);
  const plan = checkedPlan('forward', og, geometry, index, groups, kg, s.l, m);
  const direct = plan === null || !zeroPadding(xs, plan) ? null : directConv(w, xs, plan, groups, biasValues);
  if (direct !== null) return direct;
  const reads = table(index, m);
  const wasm = wasmUnfoldMatmul(w, xs, reads, s, biasValues);
  if (wasm !== null) return wasm;
  const out = forwardLoops(w, xs, reads, s);
  if (biasValues !== null) addChannelBias(out, biasValues, n, groups * og, s.l);
  return out;
}

/** The bias vector's `channels` values, in order. */
function channelBias(bias: Operand<HostArray>, channels: number): Float32Array {
  const b = bias.buffer as Float32Array;
  const { offset, strides } = bias.view;
  return Float32Array.from({ length: channels }, (_, c) => b[offset + c * strides[0]]);
}

/** `out[i, c, p] += bias[c]` over [n, channels, l], in float32 (each store rounds the sum once). */
function addChannelBias(out: Float32Array, bias: Float32Array, n: number, channels: number, l: number): void {
  for (let i = 0, at = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const value = bias[c];
      for (const end = at + l; at < end; at++) out[at] += value;
    }
  }
}

/** The forward product in plain loops (float32 sums), where there is no Wasm SIMD. */
export function forwardLoops(w: Operand<HostArray>, xs: Operand<HostArray>, reads: Int32Array, s: UnfoldSizes): Float32Array {
  const { n, m, groups, og, kg } = s;
  const out = new Float32Array(n * groups * og * s.l);
  const [wv, xv] = [data(w), data(xs)];
  for (let i = 0, o = 0; i < n; i++) {
    for (let g = 0; g < groups; g++) {
      for (let c = 0; c < og; c++) {
        for (let p = 0; p < s.l; p++, o++) {
          let acc = 0;
          for (let q = 0; q < kg; q++) acc = Math.fround(acc + Math.fround(wv[w.view.offset + (g * og + c) * kg + q] * xv[xs.view.offset + i * m + reads[(g * kg + q) * s.l + p]]));
          out[o] = acc;
        }
      }
    }
  }
  return out;
}

export function unfoldMatmulWeightGrad(grad: Operand<HostArray>, x: Operand<HostArray>, index: Operand<HostArray>, geometry?: ConvGeometry | null): Float32Array {
  const [n, groups, og, l] = grad.view.shape;
  const m = x.view.shape[1];
  const s: UnfoldSizes = { n, m, groups, og, kg: index.view.shape[0] / (groups * l), l };
  const gr = rowMajor(grad);
  const xs = rowMajor(x);
  if (geometry) {
    const direct = directWeightGrad(gr, xs, index, geometry, s);
    if (direct !== null) return direct;
  }
  const reads = table(index, m);
  return wasmUnfoldMatmulWeightGrad(gr, xs, reads, s) ?? weightGradLoops(gr, xs, reads, s);
}

/**
 * The direct weight gradient where the table is the hint's, either as is or with each group's last row reading
 * x's last column at every position (the bias's column of ones).
 */
function directWeightGrad(gr: Operand<HostArray>, xs: Operand<HostArray>, index: Operand<HostArray>, geometry: ConvGeometry, s: UnfoldSizes): Float32Array | null {
  const { groups, og, kg, l, m } = s;
  const plain = checkedPlan('weightGrad', og, geometry, index, groups, kg, l, m);
  if (plain !== null) return zeroPadding(xs, plain) ? directConvWeightGrad(gr, xs, plain, groups, og, false) : null;
  const withOnes = checkedPlan('weightGrad', og, geometry, index, groups, kg - 1, l, m - 1, kg);
  if (withOnes === null || !readsLastColumn(index, groups, kg, l, m) || !zeroPadding(xs, withOnes)) return null;
  return directConvWeightGrad(gr, xs, withOnes, groups, og, true);
}

/** Whether each group's last window row reads element m - 1 at every position. */
function readsLastColumn(index: Operand<HostArray>, groups: number, kg: number, l: number, m: number): boolean {
  const reads = index.buffer as Int32Array;
  for (let g = 0; g < groups; g++) {
    const start = index.view.offset + (g * kg + kg - 1) * l;
    for (let p = 0; p < l; p++) if (reads[start + p] !== m - 1) return false;
  }
  return true;
}

/** The weight gradient in plain loops: float32 sums per sample, added up over the samples in float64. */
export function weightGradLoops(gr: Operand<HostArray>, xs: Operand<HostArray>, reads: Int32Array, s: UnfoldSizes): Float32Array {
  const { n, m, groups, og, l } = s;
  const sums = new Float64Array(groups * og * s.kg);
  const [gv, xv] = [data(gr), data(xs)];
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < groups; g++) {
      for (let c = 0; c < og; c++) {
        for (let q = 0; q < s.kg; q++) {
          let acc = 0;
          for (let p = 0; p < l; p++) acc = Math.fround(acc + Math.fround(gv[gr.view.offset + ((i * groups + g) * og + c) * l + p] * xv[xs.view.offset + i * m + reads[(g * s.kg + q) * l + p]]));
          sums[(g * og + c) * s.kg + q] += acc;
        }
      }
    }
  }
  return Float32Array.from(sums);
}

export function unfoldMatmulInputGrad(weight: Operand<HostArray>, grad: Operand<HostArray>, index: Operand<HostArray>, width: number, geometry?: ConvGeometry | null): Float32Array {
  const [groups, og, kg] = weight.view.shape;
  const [n, , , l] = grad.view.shape;
  const s: UnfoldSizes = { n, m: width, groups, og, kg, l };
  const w = rowMajor(weight);
  const gr = rowMajor(grad);
  const plan = checkedPlan('inputGrad', og, geometry, index, groups, kg, l, width);
  const direct = plan === null ? null : directConvInputGrad(w, gr, plan, groups, width);
  if (direct !== null) return direct;
  const reads = table(index, width);
  return wasmUnfoldMatmulInputGrad(w, gr, reads, s) ?? inputGradLoops(w, gr, reads, s);
}

/** The input gradient in plain loops: each read's float32 sum, added into its element in read order. */
export function inputGradLoops(w: Operand<HostArray>, gr: Operand<HostArray>, reads: Int32Array, s: UnfoldSizes): Float32Array {
  const { n, m: width, groups, og, kg, l } = s;
  const out = new Float32Array(n * width);
  const [wv, gv] = [data(w), data(gr)];
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < groups; g++) {
      for (let q = 0; q < kg; q++) {
        for (let p = 0; p < l; p++) {
          let acc = 0;
          for (let c = 0; c < og; c++) acc = Math.fround(acc + Math.fround(wv[w.view.offset + (g * og + c) * kg + q] * gv[gr.view.offset + ((i * groups + g) * og + c) * l + p]));
          const at = i * width + reads[(g * kg + q) * l + p];
          out[at] = Math.fround(out[at] + acc);
        }
      }
    }
  }
  return out;
}
