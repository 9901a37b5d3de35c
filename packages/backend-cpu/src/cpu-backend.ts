import {
  COMPARISON_OPS,
  SPEC_VERSION,
  hostArray,
  isContiguous,
  numelOf,
  type Backend,
  type BinaryOp,
  type DType,
  type HostArray,
  type Operand,
  type ReduceOp,
  type UnaryOp,
} from '@descent/backend';
import { UNARY, binaryFn, binaryLoop, binaryScalarRight } from './elementwise.js';
import { reduceBlocks } from './reduce.js';
import { matmulStrided } from './matmul.js';
import { gather, scatterAdd } from './gather.js';
import { binaryRepeated, repeatedBlock } from './broadcast.js';
import { contiguousData, flatData, flatStart, isBroadcastScalar, scatterStrided } from './strided.js';

const COMPARISONS = new Set<BinaryOp>(COMPARISON_OPS);

/**
 * The reference backend: buffers are TypedArrays, kernels run synchronously on the calling thread. Every other
 * backend is checked against it by the conformance suite.
 */
export class CpuBackend implements Backend<HostArray> {
  readonly specVersion = SPEC_VERSION;
  readonly name = 'cpu';
  readonly gcManaged = true;

  alloc(numel: number, dtype: DType): HostArray {
    return hostArray(dtype, numel);
  }

  upload(data: HostArray): HostArray {
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

  fill(out: Operand<HostArray>, value: number): void {
    if (out.dtype === 'bool') value = value !== 0 ? 1 : 0; // fill_(5) on a bool tensor stores True
    const numel = numelOf(out.view.shape);
    if (isContiguous(out.view)) {
      out.buffer.fill(value, out.view.offset, out.view.offset + numel);
      return;
    }
    const values = hostArray(out.dtype, numel).fill(value);
    scatterStrided(values, 0, out.buffer, out.view.shape, out.view.strides, out.view.offset);
  }

  copy(src: Operand<HostArray>, dst: Operand<HostArray>): void {
    const data = flatData(src);
    const offset = flatStart(src, data);
    if (isContiguous(dst.view)) {
      const n = numelOf(dst.view.shape);
      const d = dst.buffer;
      const o = dst.view.offset;
      for (let i = 0; i < n; i++) d[o + i] = data[offset + i];
      return;
    }
    scatterStrided(data, offset, dst.buffer, dst.view.shape, dst.view.strides, dst.view.offset);
  }

  cast(x: Operand<HostArray>, dtype: DType): HostArray {
    const data = contiguousData(x);
    const out = hostArray(dtype, data.length);
    if (dtype === 'bool') for (let i = 0; i < data.length; i++) out[i] = data[i] !== 0 ? 1 : 0;
    else if (dtype === 'int32') for (let i = 0; i < data.length; i++) out[i] = Math.trunc(data[i]);
    else out.set(data);
    return out;
  }

  unary(op: UnaryOp, x: Operand<HostArray>): HostArray {
    const data = flatData(x);
    const offset = flatStart(x, data);
    const n = numelOf(x.view.shape);
    const out = hostArray(op === 'logicalNot' ? 'bool' : x.dtype, n);
    const fn = UNARY[op];
    for (let i = 0; i < n; i++) out[i] = fn(data[offset + i]);
    return out;
  }

  binary(op: BinaryOp, a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
    const n = numelOf(a.view.shape);
    const out = hostArray(COMPARISONS.has(op) ? 'bool' : a.dtype, n);
    const aBlock = repeatedBlock(a);
    const bBlock = repeatedBlock(b);
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
      const fn = binaryFn(op, a.dtype);
      const s = a.buffer[a.view.offset];
      for (let i = 0; i < n; i++) out[i] = fn(s, y[yo + i]);
    } else if (aBlock === n && bBlock > 0) {
      // A repeated block (a bias row against [N, C]) is read in place, not gathered into a full copy.
      binaryRepeated(op, a.dtype, a.buffer, a.view.offset, b.buffer, b.view.offset, bBlock, true, out, n);
    } else if (bBlock === n && aBlock > 0) {
      binaryRepeated(op, a.dtype, b.buffer, b.view.offset, a.buffer, a.view.offset, aBlock, false, out, n);
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
    const c = flatData(cond);
    const co = flatStart(cond, c);
    const x = flatData(a);
    const xo = flatStart(a, x);
    const y = flatData(b);
    const yo = flatStart(b, y);
    const n = numelOf(cond.view.shape);
    const out = hostArray(a.dtype, n);
    for (let i = 0; i < n; i++) out[i] = c[co + i] !== 0 ? x[xo + i] : y[yo + i];
    return out;
  }

  reduce(op: ReduceOp, x: Operand<HostArray>, reducedDims: number): HostArray {
    const shape = x.view.shape;
    const blockSize = numelOf(shape.slice(shape.length - reducedDims));
    const outNumel = numelOf(shape.slice(0, shape.length - reducedDims));
    const outDtype: DType = op === 'argmax' || op === 'argmin' ? 'int32' : x.dtype;
    const out = hostArray(outDtype, outNumel);
    const data = flatData(x);
    const offset = flatStart(x, data);
    reduceBlocks(op, data, offset, blockSize, out);
    return out;
  }

  matmul(a: Operand<HostArray>, b: Operand<HostArray>): HostArray {
    return matmulStrided(a, b);
  }

  gather(x: Operand<HostArray>, dim: number, index: Operand<HostArray>): HostArray {
    return gather(x, dim, index);
  }

  scatterAdd(shape: readonly number[], dim: number, index: Operand<HostArray>, src: Operand<HostArray>): HostArray {
    return scatterAdd(shape, dim, index, src);
  }
}

/** Creates the CPU backend. It needs no configuration: it is the embedded default of `@descent/tensor`. */
export function createCpuBackend(): CpuBackend {
  return new CpuBackend();
}
