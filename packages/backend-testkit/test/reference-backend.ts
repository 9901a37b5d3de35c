import { numelOf, SPEC_VERSION, type AdamUpdate, type Backend, type BinaryOp, type DType, type HostArray, type Operand, type ReduceOp, type SgdUpdate, type UnaryOp } from '@descent/backend';
import { toHostArray } from '../src/harness.js';
import {
  adamReference,
  binaryReference,
  crossEntropyReference,
  castReference,
  gatherReference,
  matmulReference,
  readView,
  reduceReference,
  scatterAddReference,
  sgdReference,
  softmaxReference,
  toDType,
  unaryReference,
  whereReference,
  writeView,
  type Value,
} from '../src/reference.js';

type Buffer = Value[];
const values = (x: Operand<Buffer>) => readView(x.buffer, x.view);
/** The fused methods are float32 only: their buffers hold numbers. */
const numbers = (x: Operand<Buffer>) => values(x).map(Number);
const floats = (buffer: Buffer | null) => buffer as number[] | null;

/**
 * A backend made of the testkit's reference functions over plain arrays. It is a second, independent
 * implementation that must pass the suite (so the suite is not fitted to the CPU backend), and the base the
 * suite's own tests break on purpose.
 */
export class ReferenceBackend implements Backend<Buffer> {
  readonly specVersion = SPEC_VERSION;
  readonly name: string = 'reference';

  alloc(numel: number, dtype: DType): Buffer {
    return new Array<Value>(numel).fill(toDType(dtype, 0));
  }
  upload(data: HostArray): Buffer {
    return Array.from<Value>(data);
  }
  free(): void {}
  async read(buffer: Buffer, dtype: DType, numel: number): Promise<HostArray> {
    return toHostArray(dtype, buffer.slice(0, numel));
  }
  fill(out: Operand<Buffer>, value: number | bigint): void {
    const filled = new Array<Value>(numelOf(out.view.shape)).fill(toDType(out.dtype, value));
    writeView(out.buffer, out.view, filled).forEach((v, i) => (out.buffer[i] = v));
  }
  copy(src: Operand<Buffer>, dst: Operand<Buffer>): void {
    writeView(dst.buffer, dst.view, values(src)).forEach((v, i) => (dst.buffer[i] = v));
  }
  cast(x: Operand<Buffer>, dtype: DType): Buffer {
    return castReference(values(x), dtype);
  }
  unary(op: UnaryOp, x: Operand<Buffer>): Buffer {
    return unaryReference(op, x.dtype, values(x));
  }
  binary(op: BinaryOp, a: Operand<Buffer>, b: Operand<Buffer>): Buffer {
    return binaryReference(op, a.dtype, values(a), values(b));
  }
  where(cond: Operand<Buffer>, a: Operand<Buffer>, b: Operand<Buffer>): Buffer {
    return whereReference(values(cond), values(a), values(b));
  }
  reduce(op: ReduceOp, x: Operand<Buffer>, reducedDims: number): Buffer {
    return reduceReference(op, x.dtype, values(x), x.view.shape, reducedDims);
  }
  matmul(a: Operand<Buffer>, b: Operand<Buffer>): Buffer {
    return matmulReference(a.dtype, values(a), values(b), a.view.shape, b.view.shape[2]);
  }
  gather(x: Operand<Buffer>, dim: number, index: Operand<Buffer>): Buffer {
    return gatherReference(values(x), x.view.shape, dim, values(index), index.view.shape);
  }
  scatterAdd(shape: readonly number[], dim: number, index: Operand<Buffer>, src: Operand<Buffer>): Buffer {
    return scatterAddReference(src.dtype, shape, dim, values(index), index.view.shape, values(src));
  }

  softmax(x: Operand<Buffer>, log: boolean): Buffer {
    return softmaxReference(numbers(x), x.view.shape, log).values;
  }
  crossEntropy(logits: Operand<Buffer>, target: Operand<Buffer>): Buffer {
    return crossEntropyReference(numbers(logits), logits.view.shape[1], numbers(target)).values;
  }
  sgdUpdate(param: Buffer, grad: Buffer, momentumBuffer: Buffer | null, numel: number, h: SgdUpdate): void {
    sgdReference({ param: param as number[], momentumBuffer: floats(momentumBuffer) }, grad.slice(0, numel).map(Number), h, new Array<number>(numel).fill(0));
  }
  adamUpdate(param: Buffer, grad: Buffer, expAvg: Buffer, expAvgSq: Buffer, maxExpAvgSq: Buffer | null, numel: number, h: AdamUpdate): void {
    const state = { param: param as number[], expAvg: expAvg as number[], expAvgSq: expAvgSq as number[], maxExpAvgSq: floats(maxExpAvgSq) };
    adamReference(state, grad.slice(0, numel).map(Number), h, new Array<number>(numel).fill(0));
  }
}
