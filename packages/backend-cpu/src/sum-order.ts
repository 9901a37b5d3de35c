import { isContiguous, numelOf, type HostArray, type Operand, type View } from '@descent/backend';
import {
  FLOAT32_SCRATCH,
  FLOAT64_SCRATCH,
  SHORT_ROW,
  scalarInnerSum,
  scalarOuterSum,
  scalarRowSum,
  shortVectorRowSum,
  vectorizedInnerSum,
  vectorizedOuterSum,
  type Block,
  type FloatArray,
  type SumScratch,
} from './cascade-sum.js';

/**
 * Sums the trailing `reducedDims` axes of a float32 or float64 operand into `out` (zeroed, of the same dtype, one
 * element per leading index, row-major) in PyTorch 1.13's CPU order, and returns true; returns false, leaving
 * `out` alone, for other dtypes. SUM-ORDER.md says what this matches.
 */
export function sumInTorchOrder(x: Operand<HostArray>, reducedDims: number, out: HostArray): boolean {
  const data = x.buffer;
  if (data instanceof Float32Array && out instanceof Float32Array) sumFloatView(data, x.view, reducedDims, out);
  else if (data instanceof Float64Array && out instanceof Float64Array) sumFloatView(data, x.view, reducedDims, out);
  else return false;
  return true;
}

/**
 * The view's dims are ordered, merged and cut into 2-D blocks as PyTorch's TensorIterator does for `sum`, and
 * each block runs the `cascade_sum` strategy its strides pick (cascade-sum.ts).
 */
export function sumFloatView(data: FloatArray, view: View, reducedDims: number, out: FloatArray): void {
  const scratch = data instanceof Float64Array ? FLOAT64_SCRATCH : FLOAT32_SCRATCH;
  const shape = view.shape;
  const rank = shape.length;
  if (numelOf(shape) === 0) return;
  if (isContiguous(view)) {
    // The common case, without the iterator: one block of rows of `inner` contiguous elements.
    let inner = 1;
    for (let d = rank - reducedDims; d < rank; d++) inner *= shape[d];
    const rows = out.length;
    if (inner === 1) {
      for (let j = 0; j < rows; j++) out[j] += data[view.offset + j];
      return;
    }
    if (inner < SHORT_ROW && data instanceof Float32Array) {
      // Short rows (the sums of small models), without the block's setup: `row_sum` below 8 elements, else
      // `vectorized_inner_sum` of fewer than 16 steps.
      for (let j = 0, row = view.offset; j < rows; j++, row += inner) {
        out[j] += inner < 8 ? scalarRowSum(data, row, 1, inner, scratch.acc) : shortVectorRowSum(data, row, inner);
      }
      return;
    }
    runBlock(data, block(view.offset, 0, inner, rows, 1, rows === 1 ? 0 : inner, rows === 1 ? 0 : 1), out, scratch);
    return;
  }
  if (rank === 2 && reducedDims === 1 && shape[0] > 1 && shape[1] > 1) {
    // [kept, reduced], not contiguous (`x.sum(0)` of a matrix, a transpose): two dims the iterator cannot merge.
    runBlock(data, block(view.offset, 0, shape[1], shape[0], view.strides[1], view.strides[0], 1), out, scratch);
    return;
  }
  const dims = coalesce(iteratorDims(view, reducedDims));
  if (dims.length === 0) {
    out[0] += data[view.offset];
    return;
  }
  const d0 = dims[0];
  const d1: IterDim = dims.length > 1 ? dims[1] : { size: 1, inStride: 0, outStride: 0 };
  const outer = dims.slice(2);
  const index = new Array<number>(outer.length).fill(0);
  let inBase = view.offset;
  let outBase = 0;
  for (;;) {
    runLoop(data, out, scratch, inBase, outBase, d0, d1);
    // Odometer over dims 2.. (dim 2 fastest), as PyTorch's DimCounter walks them.
    let d = 0;
    for (; d < outer.length; d++) {
      index[d]++;
      inBase += outer[d].inStride;
      outBase += outer[d].outStride;
      if (index[d] < outer[d].size) break;
      inBase -= outer[d].inStride * outer[d].size;
      outBase -= outer[d].outStride * outer[d].size;
      index[d] = 0;
    }
    if (d === outer.length) return;
  }
}

interface IterDim {
  size: number;
  inStride: number;
  outStride: number;
}

/** One reused block: kernels run synchronously and never nest. */
const BLOCK: Block = { inBase: 0, outBase: 0, size0: 0, size1: 0, inStride0: 0, inStride1: 0, outStride1: 0 };

function block(
  inBase: number,
  outBase: number,
  size0: number,
  size1: number,
  inStride0: number,
  inStride1: number,
  outStride1: number,
): Block {
  const b = BLOCK;
  b.inBase = inBase;
  b.outBase = outBase;
  b.size0 = size0;
  b.size1 = size1;
  b.inStride0 = inStride0;
  b.inStride1 = inStride1;
  b.outStride1 = outStride1;
  return b;
}

/** The body of `cascade_sum`'s loop for one 2-D block: put the reduced dim first, then pick the strategy. */
function runLoop(
  data: FloatArray,
  out: FloatArray,
  scratch: SumScratch,
  inBase: number,
  outBase: number,
  a: IterDim,
  b: IterDim,
): void {
  if (a.outStride !== 0 && b.outStride === 0) [a, b] = [b, a];
  if (a.outStride !== 0) {
    // Not a reduction (every reduced dim has size 1): out += in.
    for (let j = 0; j < b.size; j++) {
      for (let i = 0; i < a.size; i++) {
        out[outBase + i * a.outStride + j * b.outStride] += data[inBase + i * a.inStride + j * b.inStride];
      }
    }
    return;
  }
  runBlock(data, block(inBase, outBase, a.size, b.size, a.inStride, b.inStride, b.outStride), out, scratch);
}

function runBlock(data: FloatArray, b: Block, out: FloatArray, scratch: SumScratch): void {
  const lanes = scratch.lanes;
  if (b.inStride0 === 1 && b.size0 >= lanes) vectorizedInnerSum(data, b, out, scratch);
  else if (b.inStride1 === 1 && b.size1 >= lanes) vectorizedOuterSum(data, b, out, scratch);
  else if (b.inStride0 < b.inStride1) scalarInnerSum(data, b, out, scratch);
  else scalarOuterSum(data, b, out, scratch);
}

/**
 * The view's dims in TensorIterator's order (fastest first) with the output's strides: reduced dims first (the
 * output's stride there is 0), sorted by PyTorch's insertion sort on input strides (ties and broadcast dims left
 * where they are), then the kept dims innermost first, as the contiguous output orders them. Size-1 dims go:
 * PyTorch merges them away.
 */
function iteratorDims(view: View, reducedDims: number): IterDim[] {
  const { shape, strides } = view;
  const rank = shape.length;
  const firstReduced = rank - reducedDims;
  const reduced: IterDim[] = [];
  const kept: IterDim[] = [];
  let outStride = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (d >= firstReduced) {
      if (shape[d] !== 1) reduced.push({ size: shape[d], inStride: strides[d], outStride: 0 });
    } else {
      if (shape[d] !== 1) kept.push({ size: shape[d], inStride: strides[d], outStride });
      outStride *= shape[d];
    }
  }
  for (let i = 1; i < reduced.length; i++) {
    let at = i;
    for (let before = i - 1; before >= 0; before--) {
      const order = compareReduced(reduced[before], reduced[at]);
      if (order > 0) {
        [reduced[before], reduced[at]] = [reduced[at], reduced[before]];
        at = before;
      } else if (order < 0) {
        break;
      }
    }
  }
  return [...reduced, ...kept];
}

/** `should_swap` for two reduced dims: 1 when `a` must come after `b`, -1 before, 0 when undecided. */
function compareReduced(a: IterDim, b: IterDim): number {
  if (a.inStride === 0 || b.inStride === 0) return 0;
  if (a.inStride !== b.inStride) return a.inStride < b.inStride ? -1 : 1;
  return a.size > b.size ? 1 : 0;
}

/** TensorIterator's `coalesce_dimensions`: neighbours that step evenly in both input and output become one. */
function coalesce(dims: IterDim[]): IterDim[] {
  if (dims.length <= 1) return dims;
  const merged: IterDim[] = [{ ...dims[0] }];
  for (let d = 1; d < dims.length; d++) {
    const prev = merged[merged.length - 1];
    const next = dims[d];
    if (prev.size * prev.inStride === next.inStride && prev.size * prev.outStride === next.outStride) {
      prev.size *= next.size;
    } else {
      merged.push({ ...next });
    }
  }
  return merged;
}
