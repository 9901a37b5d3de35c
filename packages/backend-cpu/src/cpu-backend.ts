import {
  COMPARISON_OPS,
  SPEC_VERSION,
  contiguousView,
  hostArray,
  isContiguous,
  numelOf,
  reduceOutputDType,
  type Backend,
  type BinaryOp,
  type ConvGeometry,
  type DType,
  type HostArray,
  type NumberHostArray,
  type Operand,
  type ReduceOp,
  type SgdUpdate,
  type AdamUpdate,
  type UnaryOp,
} from '@descent/backend';
import { binaryFn, binaryLoop, binaryScalarRight, simdBinary, unaryLoop } from './elementwise.js';
import { reduceBlocks } from './reduce.js';
import { whereNumbers } from './where.js';
import { outputArray } from './output-array.js';
import { adamUpdateF32, sgdUpdateF32 } from './optimizers.js';
import { FLOAT32_SCALAR_LEFT } from './float32-loops.js';
import { sumInTorchOrder } from './sum-order.js';
import { matmulStrided } from './matmul.js';
import { gather, scatterAdd } from './gather.js';
import { gatherRows, scatterAddRows } from './gather-rows.js';
import { argsort } from './sort.js';
import { windowArgmax } from './window-argmax.js';
import { unfoldMatmul, unfoldMatmulInputGrad, unfoldMatmulWeightGrad } from './unfold-matmul.js';
import { gruCell, gruCellBackward, lstmCell, lstmCellBackward } from './rnn-cells.js';
import { binaryChannels, binaryRepeated, channelBlock, repeatedBlock } from './broadcast.js';
import { flatData, flatStart, isBroadcastScalar, numberArray, scatterStrided } from './strided.js';
import { cast } from './cast.js';
import { binaryInt64, unaryInt64 } from './int64-elementwise.js';
import { reduceToInt64, widened } from './reduce-int64.js';
import { asWords, int64Of, numberOperand } from './words.js';

const COMPARISONS = new Set<BinaryOp>(COMPARISON_OPS);

/** Contiguous copies of at least this many elements use TypedArray.set (see `copy`). */
const MEMCPY_MIN = 512;

/** The host array type of each dtype, which `upload` checks. */
const HOST_TYPES: Record<DType, { new (length: number): HostArray; readonly name: string }> = {
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

/**
 * The reference backend: buffers are TypedArrays, kernels run synchronously on the calling thread. Every other
 * backend is checked against it by the conformance suite. It stores every dtype of the spec, each in its own
 * TypedArray (int64 in a BigInt64Array, computed on its int32 words: words.ts).
 */
export class CpuBackend implements Backend<HostArray> {
  readonly specVersion = SPEC_VERSION;
  readonly name = 'cpu';
  readonly gcManaged = true;

  alloc(numel: number, dtype: DType): HostArray {
    return hostArray(dtype, numel);
  }

  upload(data: HostArray, dtype: DType): HostArray {
    const type = HOST_TYPES[dtype];
    if (!type || !(data instanceof type)) {
      throw new TypeError(`upload: ${dtype} data must be a ${type?.name ?? 'known dtype'}, got ${Object.prototype.toString.call(data)}`);
    }
    return data.slice();
  }

  free(): void {
    // Garbage collected.
  }

  read(buffer: HostArray, _dtype: DType, numel: number): Promise<HostArray> {
    return Promise.resolve(buffer.slice(0, numel));
  }

  readSync(buffer: HostArray, _dtype: DType, numel: number): HostArray {
    return buffer.length === numel ? buffer : buffer.subarray(0, numel);
  }

  fill(out: Operand<HostArray>, value: number | bigint): void {
    const numel = numelOf(out.view.shape);
    const { offset } = out.view;
    if (out.buffer instanceof BigInt64Array) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`fill: an int64 tensor cannot hold ${value}`);
      const big = BigInt.asIntN(64, typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));
      if (isContiguous(out.view)) out.buffer.fill(big, offset, offset + numel);
      else this.copy({ buffer: new BigInt64Array(numel).fill(big), view: contiguousView(out.view.shape), dtype: 'int64' }, out);
      return;
    }
    // Typed-array stores convert as fill_ does: round to float32, truncate to an integer dtype; bool is value != 0.
    const v = out.dtype === 'bool' ? (value !== 0 && value !== 0n ? 1 : 0) : Number(value);
    if (isContiguous(out.view)) {
      out.buffer.fill(v, offset, offset + numel);
      return;
    }
    const values = numberArray(numberOperand(out), numel).fill(v);
    scatterStrided(values, 0, out.buffer, out.view.shape, out.view.strides, offset);
  }

  copy(src: Operand<HostArray>, dst: Operand<HostArray>): void {
    if (src.dtype === 'int64') {
      this.copy(asWords(src), asWords(dst)); // int64 moves as words
      return;
    }
    const from = src as Operand<NumberHostArray>; // only int64 holds bigints
    const d = dst.buffer as NumberHostArray;
    const data = flatData(from);
    const offset = flatStart(from, data);
    if (isContiguous(dst.view)) {
      const n = numelOf(dst.view.shape);
      const o = dst.view.offset;
      // Large copies between arrays of one type are a memcpy; small ones (an in-place update of a few weights) stay
      // a loop, as subarray + set cost more than the loop below about 512 elements (W4 ran 1.5x slower with them).
      if (n >= MEMCPY_MIN && data.constructor === d.constructor) d.set(data.subarray(offset, offset + n), o);
      else for (let i = 0; i < n; i++) d[o + i] = data[offset + i];
      return;
    }
    scatterStrided(data, offset, d, dst.view.shape, dst.view.strides, dst.view.offset);
  }

  cast(x: Operand<HostArray>, dtype: DType): HostArray {
    return cast(x, dtype);
  }

  unary(op: UnaryOp, x: Operand<HostArray>): HostArray {
    if (x.dtype === 'int64') return unaryInt64(op, x);
    const xn = x as Operand<NumberHostArray>; // only int64 holds bigints
    const data = flatData(xn);
    const n = numelOf(x.view.shape);
    const out = outputArray(op === 'logicalNot' ? 'bool' : xn.dtype, n);
    unaryLoop(op, x.dtype, data, flatStart(xn, data), out, n);
    return out;
  }

  binary(op: BinaryOp, left: Operand<HostArray>, right: Operand<HostArray>): HostArray {
    if (left.dtype === 'int64') return binaryInt64(op, left, right);
    // Only int64 holds bigints (one method, not a call to another: this is the hottest path of small ops).
    const a = left as Operand<NumberHostArray>;
    const b = right as Operand<NumberHostArray>;
    const n = numelOf(a.view.shape);
    const out = outputArray(COMPARISONS.has(op) ? 'bool' : a.dtype, n);
    const aBlock = repeatedBlock(a);
    const bBlock = repeatedBlock(b);
    let channels: { inner: number; period: number } | null;
    if (aBlock === n && bBlock === n) {
      // Same-shape contiguous operands, the common case: one loop straight over the buffers.
      binaryLoop(op, a.dtype, a.buffer, a.view.offset, b.buffer, b.view.offset, out, n);
    } else if (isBroadcastScalar(b)) {
      // A broadcast scalar (stride 0 everywhere) is read once instead of materialized.
      const x = flatData(a);
      const xo = flatStart(a, x);
      binaryScalarRight(op, a.dtype, x, xo, b.buffer[b.view.offset], out, n);
    } else if (isBroadcastScalar(a)) {
      const y = flatData(b);
      const yo = flatStart(b, y);
      if (a.dtype === 'float32' && simdBinary(op, 'sv', a.buffer, a.view.offset, y, yo, out, n)) return out;
      const s = a.buffer[a.view.offset];
      const fast = a.dtype === 'float32' ? FLOAT32_SCALAR_LEFT[op] : undefined;
      if (fast) fast(y, yo, s, out, n);
      else {
        const fn = binaryFn(op, a.dtype);
        for (let i = 0; i < n; i++) out[i] = fn(s, y[yo + i]);
      }
    } else if (aBlock === n && bBlock > 0) {
      // A repeated block (a bias row against [N, C]) is read in place, not gathered into a full copy.
      binaryRepeated(op, a.dtype, a.buffer, a.view.offset, b.buffer, b.view.offset, bBlock, true, out, n);
    } else if (bBlock === n && aBlock > 0) {
      binaryRepeated(op, a.dtype, b.buffer, b.view.offset, a.buffer, a.view.offset, aBlock, false, out, n);
    } else if (aBlock === n && (channels = channelBlock(b)) !== null) {
      binaryChannels(op, a.dtype, a.buffer, a.view.offset, b.buffer, b.view.offset, channels.inner, channels.period, true, out, n);
    } else if (bBlock === n && (channels = channelBlock(a)) !== null) {
      binaryChannels(op, a.dtype, b.buffer, b.view.offset, a.buffer, a.view.offset, channels.inner, channels.period, false, out, n);
    } else {
      const x = flatData(a);
      const xo = flatStart(a, x);
      const y = flatData(b);
      const yo = flatStart(b, y);
      binaryLoop(op, a.dtype, x, xo, y, yo, out, n);
    }
    return out;
  }

  where(cond: Operand<HostArray>, a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
    if (a.dtype === 'int64') {
      // int64 picks words: the condition is broadcast over each element's two words.
      return int64Of(this.where(asWords(cond, 0), asWords(a), asWords(b)) as Int32Array);
    }
    return whereNumbers(cond as Operand<NumberHostArray>, a as Operand<NumberHostArray>, b as Operand<NumberHostArray>);
  }

  /** The output dtype is PyTorch's (`reduceOutputDType`): integer sums and products and arg-reductions are int64. */
  reduce(op: ReduceOp, x: Operand<HostArray>, reducedDims: number): HostArray {
    const shape = x.view.shape;
    const blockSize = numelOf(shape.slice(shape.length - reducedDims));
    const outNumel = numelOf(shape.slice(0, shape.length - reducedDims));
    const outDtype = reduceOutputDType(op, x.dtype);
    if (outDtype === 'int64') return reduceToInt64(op, x, blockSize, outNumel);
    const out = hostArray(outDtype, outNumel) as NumberHostArray;
    if (op === 'sum' && sumInTorchOrder(x, reducedDims, out)) return out; // float sums: PyTorch's order
    const xn = x as Operand<NumberHostArray>; // only int64 holds bigints
    const data = flatData(xn);
    const offset = flatStart(xn, data);
    if (x.dtype !== 'int16' && x.dtype !== 'int8') reduceBlocks(op, data, offset, blockSize, out);
    else {
      // int16 and int8 max/min run on int32 copies (reduce-int64.ts says why) and narrow back.
      const result = new Int32Array(outNumel);
      reduceBlocks(op, widened(data), offset, blockSize, result);
      out.set(result);
    }
    return out;
  }

  matmul(a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
    return matmulStrided(a, b);
  }

  /** Bit-identical to optim's composed SGD on this backend, in one pass without temporaries. */
  sgdUpdate(param: HostArray, grad: HostArray, momentumBuffer: HostArray | null, numel: number, h: SgdUpdate): void {
    sgdUpdateF32(param, grad, momentumBuffer, numel, h);
  }

  /** Bit-identical to optim's composed Adam/AdamW on this backend, in one pass without temporaries. */
  adamUpdate(param: HostArray, grad: HostArray, expAvg: HostArray, expAvgSq: HostArray, maxExpAvgSq: HostArray | null, numel: number, h: AdamUpdate): void {
    adamUpdateF32(param, grad, expAvg, expAvgSq, maxExpAvgSq, numel, h);
  }

  argsort(x: Operand<HostArray>, descending: boolean): HostArray {
    return argsort(x, descending);
  }

  windowArgmax(x: Operand<HostArray>, index: Operand<HostArray>, window: number): HostArray {
    return windowArgmax(x, index, window);
  }

  unfoldMatmul(weight: Operand<HostArray>, x: Operand<HostArray>, index: Operand<HostArray>, bias: Operand<HostArray> | null, geometry?: ConvGeometry | null): HostArray {
    return unfoldMatmul(weight, x, index, bias, geometry);
  }

  unfoldMatmulWeightGrad(grad: Operand<HostArray>, x: Operand<HostArray>, index: Operand<HostArray>, geometry?: ConvGeometry | null): HostArray {
    return unfoldMatmulWeightGrad(grad, x, index, geometry);
  }

  unfoldMatmulInputGrad(weight: Operand<HostArray>, grad: Operand<HostArray>, index: Operand<HostArray>, width: number, geometry?: ConvGeometry | null): HostArray {
    return unfoldMatmulInputGrad(weight, grad, index, width, geometry);
  }

  lstmCell(inputGates: Operand<HostArray>, hiddenGates: Operand<HostArray>, cx: Operand<HostArray>): [HostArray, HostArray, HostArray] {
    return lstmCell(inputGates, hiddenGates, cx);
  }

  lstmCellBackward(
    gradHy: Operand<HostArray> | null,
    gradCy: Operand<HostArray> | null,
    cx: Operand<HostArray>,
    cy: Operand<HostArray>,
    workspace: Operand<HostArray>,
  ): [HostArray, HostArray] {
    return lstmCellBackward(gradHy, gradCy, cx, cy, workspace);
  }

  gruCell(inputGates: Operand<HostArray>, hiddenGates: Operand<HostArray>, hx: Operand<HostArray>): [HostArray, HostArray] {
    return gruCell(inputGates, hiddenGates, hx);
  }

  gruCellBackward(gradHy: Operand<HostArray>, workspace: Operand<HostArray>): [HostArray, HostArray, HostArray] {
    return gruCellBackward(gradHy, workspace);
  }

  gather(x: Operand<HostArray>, dim: number, index: Operand<HostArray>): HostArray {
    return gatherRows(x, dim, index) ?? gather(x, dim, index);
  }

  scatterAdd(shape: readonly number[], dim: number, index: Operand<HostArray>, src: Operand<HostArray>): HostArray {
    return scatterAddRows(shape, dim, index, src) ?? scatterAdd(shape, dim, index, src);
  }
}

/** Creates the CPU backend. It needs no configuration: it is the embedded default of `@descent/tensor`. */
export function createCpuBackend(): CpuBackend {
  return new CpuBackend();
}
