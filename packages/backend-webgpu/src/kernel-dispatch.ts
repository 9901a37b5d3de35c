import {
  COMPARISON_OPS,
  isContiguous,
  numelOf,
  reduceOutputDType,
  type AdamUpdate,
  type BinaryOp,
  type DType,
  type Operand,
  type ReduceOp,
  type SgdUpdate,
  type UnaryOp,
  type View,
} from '@descent/backend';
import { fillBits, refuseFloat64 } from './dtypes.js';
import { copyParams, copyShader, fillParams, fillShader } from './kernels/copy-fill.js';
import { binaryShader, castShader, elementwiseParams, unaryShader, whereShader } from './kernels/elementwise.js';
import { gatherParams, gatherShader, scatterAddParams, scatterAddShader } from './kernels/gather.js';
import { checksBinary, checksCast, checksReduce, checksUnary } from './kernels/int64.js';
import { int64ReduceShader } from './kernels/int64-reduce.js';
import { linearWorkgroups } from './kernels/linear-dispatch.js';
import { matmulParams } from './kernels/matmul.js';
import { planMatmul, type MatmulGrid } from './kernels/matmul-plan.js';
import { adamParams, adamShader, sgdParams, sgdShader } from './kernels/optimizers.js';
import { reduceParams, reduceShader } from './kernels/reduce.js';
import { crossEntropyParams, crossEntropyShader, softmaxParams, softmaxShader } from './kernels/softmax.js';
import type { Explain, FaultSlot } from './fault-log.js';
import { indexOutOfBounds, overflow, targetOutOfBounds } from './fault-messages.js';
import type { LaunchOperand } from './launch.js';
import type { GpuBuffer } from './memory.js';

/** What the kernel dispatchers need from the backend. */
export interface KernelContext {
  alloc(numel: number, dtype: DType): GpuBuffer;
  free(buffer: GpuBuffer): void;
  /** Encodes one kernel; see `KernelLauncher.launch`. */
  launch(
    label: string,
    key: string,
    source: () => string,
    operands: readonly LaunchOperand[],
    params: number[],
    workgroups: [number, number, number],
  ): void;
  /** A fault slot for one dispatch of `op` that can fault (an index, an int64 overflow); see ./fault-log.ts. */
  fault(op: string, explain: Explain): FaultSlot;
  /**
   * The device's `maxComputeWorkgroupsPerDimension` (a kernel with more workgroups splits its dispatch), and the
   * fewest workgroups a matmul's tile choice aims for (./kernels/matmul-config.ts).
   */
  readonly matmulGrid: MatmulGrid;
  /** Workgroup reductions fold within subgroups first (./kernels/subgroup-reduce.ts); a pipeline per variant. */
  subgroups: boolean;
}

const COMPARISONS = new Set<BinaryOp>(COMPARISON_OPS);

// One dispatcher per backend kernel: it allocates the output, packs the parameters through the kernel's table
// (shape, views, scalars, by name) and builds the pipeline key, and launches the shader.

/** `checked`: the shader runs int64's checked arithmetic, which binds a fault slot after the inputs. */
function elementwise(
  ctx: KernelContext,
  label: string,
  key: string,
  source: () => string,
  out: GpuBuffer,
  inputs: Operand<GpuBuffer>[],
  checked = false,
): GpuBuffer {
  const shape = inputs[0].view.shape;
  const n = numelOf(shape);
  if (n === 0) return out;
  const params = elementwiseParams(shape.length, inputs.length).pack({ numel: n, shape, inputs: inputs.map((x) => x.view) });
  const operands: LaunchOperand[] = [out, ...inputs.map((x) => x.buffer)];
  if (checked) operands.push(ctx.fault(label, overflow(label)));
  ctx.launch(label, key, source, operands, params, linearWorkgroups(n));
  return out;
}

export function unaryKernel(ctx: KernelContext, op: UnaryOp, x: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64(op, x.dtype);
  const shape = { rank: x.view.shape.length, contiguous: [isContiguous(x.view)] };
  const out = ctx.alloc(numelOf(x.view.shape), op === 'logicalNot' ? 'bool' : x.dtype);
  const key = `unary:${op}:${x.dtype}:${shape.rank}:${shape.contiguous}`;
  return elementwise(ctx, op, key, () => unaryShader(op, x.dtype, shape), out, [x], checksUnary(op, x.dtype));
}

export function binaryKernel(ctx: KernelContext, op: BinaryOp, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64(op, a.dtype);
  refuseFloat64(op, b.dtype);
  const outDtype: DType = COMPARISONS.has(op) ? 'bool' : a.dtype;
  const shape = { rank: a.view.shape.length, contiguous: [isContiguous(a.view), isContiguous(b.view)] };
  const out = ctx.alloc(numelOf(a.view.shape), outDtype);
  const key = `binary:${op}:${a.dtype}:${shape.rank}:${shape.contiguous}`;
  return elementwise(ctx, op, key, () => binaryShader(op, a.dtype, outDtype, shape), out, [a, b], checksBinary(op, a.dtype));
}

export function whereKernel(ctx: KernelContext, cond: Operand<GpuBuffer>, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64('where', a.dtype);
  refuseFloat64('where', b.dtype);
  const shape = { rank: a.view.shape.length, contiguous: [cond, a, b].map((x) => isContiguous(x.view)) };
  const out = ctx.alloc(numelOf(a.view.shape), a.dtype);
  const key = `where:${a.dtype}:${shape.rank}:${shape.contiguous}`;
  return elementwise(ctx, 'where', key, () => whereShader(a.dtype, shape), out, [cond, a, b]);
}

export function castKernel(ctx: KernelContext, x: Operand<GpuBuffer>, dtype: DType): GpuBuffer {
  refuseFloat64('cast', x.dtype);
  refuseFloat64('alloc', dtype);
  const shape = { rank: x.view.shape.length, contiguous: [isContiguous(x.view)] };
  const out = ctx.alloc(numelOf(x.view.shape), dtype);
  const key = `cast:${x.dtype}:${dtype}:${shape.rank}:${shape.contiguous}`;
  return elementwise(ctx, 'cast', key, () => castShader(x.dtype, dtype, shape), out, [x], checksCast(x.dtype, dtype));
}

export function copyKernel(ctx: KernelContext, src: Operand<GpuBuffer>, dst: Operand<GpuBuffer>): void {
  refuseFloat64('copy', src.dtype);
  refuseFloat64('copy', dst.dtype);
  const n = numelOf(dst.view.shape);
  if (n === 0) return;
  // A buffer cannot be bound for reading and writing in one dispatch: stage overlapping copies.
  let source = src;
  if (src.buffer.block === dst.buffer.block) {
    const staged = ctx.alloc(n, src.dtype);
    copyKernel(ctx, src, { buffer: staged, view: contiguousView(src.view.shape), dtype: src.dtype });
    source = { buffer: staged, view: contiguousView(src.view.shape), dtype: src.dtype };
    ctx.free(staged);
  }
  const rank = dst.view.shape.length;
  const sc = isContiguous(source.view);
  const dc = isContiguous(dst.view);
  const key = `copy:${dst.dtype}:${rank}:${sc}:${dc}`;
  const params = copyParams(rank).pack({ numel: n, shape: dst.view.shape, srcView: source.view, dstView: dst.view });
  ctx.launch('copy', key, () => copyShader(dst.dtype, rank, sc, dc), [dst.buffer, source.buffer], params, linearWorkgroups(n));
}

export function fillKernel(ctx: KernelContext, out: Operand<GpuBuffer>, value: number | bigint): void {
  const bits = fillBits(out.dtype, value);
  const n = numelOf(out.view.shape);
  if (n === 0) return;
  const rank = out.view.shape.length;
  const contiguous = isContiguous(out.view);
  const params = fillParams(rank).pack({ numel: n, shape: out.view.shape, dstView: out.view, bits });
  const key = `fill:${out.dtype}:${rank}:${contiguous}`;
  ctx.launch('fill', key, () => fillShader(out.dtype, rank, contiguous), [out.buffer], params, linearWorkgroups(n));
}

export function reduceKernel(ctx: KernelContext, op: ReduceOp, x: Operand<GpuBuffer>, reducedDims: number): GpuBuffer {
  refuseFloat64(op, x.dtype);
  const shape = x.view.shape;
  const rank = shape.length;
  const outputs = numelOf(shape.slice(0, rank - reducedDims));
  const perOutput = numelOf(shape.slice(rank - reducedDims));
  const out = ctx.alloc(outputs, reduceOutputDType(op, x.dtype));
  if (outputs === 0) return out;
  // Long axes: a workgroup per output with a tree reduction; short ones: a thread per output.
  const perWorkgroup = perOutput >= 256 && outputs < 4096;
  const subgroups = perWorkgroup && ctx.subgroups;
  const key = `reduce:${op}:${x.dtype}:${rank}:${reducedDims}:${perWorkgroup}${subgroups ? ':sg' : ''}`;
  const params = reduceParams(rank).pack({ outputs, perOutput, shape, xView: x.view });
  const workgroups = perWorkgroup ? linearWorkgroups(outputs, 1) : linearWorkgroups(outputs);
  if (checksReduce(op, x.dtype)) {
    const slot = ctx.fault(op, overflow(op));
    ctx.launch(op, key, () => int64ReduceShader(op, x.dtype, rank, reducedDims, perWorkgroup), [out, x.buffer, slot], params, workgroups);
  } else {
    ctx.launch(op, key, () => reduceShader(op, x.dtype, rank, reducedDims, perWorkgroup, subgroups), [out, x.buffer], params, workgroups);
  }
  return out;
}

export function matmulKernel(ctx: KernelContext, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64('matmul', a.dtype);
  refuseFloat64('matmul', b.dtype);
  const [batch, m, k] = a.view.shape;
  const n = b.view.shape[2];
  const out = ctx.alloc(batch * m * n, a.dtype);
  if (batch * m * n === 0) return out;
  if (k === 0) {
    fillKernel(ctx, { buffer: out, view: contiguousView([batch * m * n]), dtype: a.dtype }, 0);
    return out;
  }
  const operands: LaunchOperand[] = [out, a.buffer, b.buffer];
  if (a.dtype === 'int64') operands.push(ctx.fault('matmul', overflow('matmul')));
  const plan = planMatmul(a, b, ctx.matmulGrid);
  const source = (): string => plan.shader();
  for (const { origin, workgroups } of plan.launches) {
    const params = matmulParams.pack({ m, n, k, aView: a.view, bView: b.view, origin });
    ctx.launch('matmul', plan.key, source, operands, params, workgroups);
  }
  return out;
}

export function gatherKernel(ctx: KernelContext, x: Operand<GpuBuffer>, dim: number, index: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64('gather', x.dtype);
  refuseFloat64('gather', index.dtype);
  const shape = index.view.shape;
  const n = numelOf(shape);
  const out = ctx.alloc(n, x.dtype);
  if (n === 0) return out;
  const rank = shape.length;
  // A 0-d x (dim 0) has one element along its missing axis.
  const dimSize = x.view.shape[dim] ?? 1;
  const params = gatherParams(rank).pack({ numel: n, dimSize, shape, indexView: index.view, xView: x.view });
  const key = `gather:${x.dtype}:${rank}:${dim}`;
  const slot = ctx.fault('gather', indexOutOfBounds('gather', dim, dimSize));
  ctx.launch('gather', key, () => gatherShader(x.dtype, rank, dim), [out, x.buffer, index.buffer, slot], params, linearWorkgroups(n));
  return out;
}

export function softmaxKernel(ctx: KernelContext, x: Operand<GpuBuffer>, log: boolean): GpuBuffer {
  refuseFloat64(log ? 'logSoftmax' : 'softmax', x.dtype);
  const shape = x.view.shape;
  const rank = shape.length;
  const length = shape[rank - 1];
  const rows = numelOf(shape.slice(0, -1));
  const out = ctx.alloc(rows * length, 'float32');
  if (rows * length === 0) return out;
  const params = softmaxParams(rank).pack({ rows, length, shape, xView: x.view });
  const subgroups = ctx.subgroups;
  const key = `softmax:${log}:${rank}${subgroups ? ':sg' : ''}`;
  ctx.launch(log ? 'logSoftmax' : 'softmax', key, () => softmaxShader(rank, log, subgroups), [out, x.buffer], params, linearWorkgroups(rows, 1));
  return out;
}

export function crossEntropyKernel(ctx: KernelContext, logits: Operand<GpuBuffer>, target: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64('crossEntropy', logits.dtype);
  const [rows, classes] = logits.view.shape;
  const out = ctx.alloc(rows, 'float32');
  if (rows === 0) return out;
  const params = crossEntropyParams.pack({ rows, length: classes, shape: logits.view.shape, xView: logits.view, targetView: target.view });
  const slot = ctx.fault('crossEntropy', targetOutOfBounds());
  const subgroups = ctx.subgroups;
  const key = `crossEntropy${subgroups ? ':sg' : ''}`;
  ctx.launch('crossEntropy', key, () => crossEntropyShader(subgroups), [out, logits.buffer, target.buffer, slot], params, linearWorkgroups(rows, 1));
  return out;
}

export function sgdUpdateKernel(ctx: KernelContext, param: GpuBuffer, grad: GpuBuffer, momentumBuffer: GpuBuffer | null, numel: number, h: SgdUpdate): void {
  if (numel === 0) return;
  const params = sgdParams.pack({
    numel,
    lr: h.lr,
    momentum: h.momentum,
    dampening: h.dampening,
    weightDecay: h.weightDecay,
    nesterov: h.nesterov,
    maximize: h.maximize,
    firstStep: h.firstStep,
    hasMomentum: momentumBuffer !== null,
  });
  ctx.launch('sgd', 'sgd', sgdShader, [param, grad, momentumBuffer ?? grad], params, linearWorkgroups(numel));
}

export function adamUpdateKernel(
  ctx: KernelContext,
  param: GpuBuffer,
  grad: GpuBuffer,
  expAvg: GpuBuffer,
  expAvgSq: GpuBuffer,
  maxExpAvgSq: GpuBuffer | null,
  numel: number,
  h: AdamUpdate,
): void {
  if (numel === 0) return;
  const params = adamParams.pack({
    numel,
    lr: h.lr,
    beta1: h.beta1,
    beta2: h.beta2,
    eps: h.eps,
    weightDecay: h.weightDecay,
    stepSize: h.lr / (1 - h.beta1 ** h.step),
    biasCorrection2Sqrt: Math.sqrt(1 - h.beta2 ** h.step),
    decoupled: h.decoupled,
    amsgrad: h.amsgrad,
    maximize: h.maximize,
    oneMinusBeta1: 1 - h.beta1,
    oneMinusBeta2: 1 - h.beta2,
  });
  ctx.launch('adam', 'adam', adamShader, [param, grad, expAvg, expAvgSq, maxExpAvgSq ?? expAvgSq], params, linearWorkgroups(numel));
}

export function scatterAddKernel(ctx: KernelContext, shape: readonly number[], dim: number, index: Operand<GpuBuffer>, src: Operand<GpuBuffer>): GpuBuffer {
  refuseFloat64('scatterAdd', src.dtype);
  refuseFloat64('scatterAdd', index.dtype);
  const n = numelOf(shape);
  const out = ctx.alloc(n, src.dtype);
  if (n === 0) return out;
  const rank = shape.length;
  const params = scatterAddParams(rank).pack({ numel: n, shape, indexShape: index.view.shape, indexView: index.view, srcView: src.view });
  const key = `scatterAdd:${src.dtype}:${rank}:${dim}`;
  const slot = ctx.fault('scatterAdd', indexOutOfBounds('scatterAdd', dim, shape[dim] ?? 1, src.dtype === 'int64'));
  ctx.launch('scatterAdd', key, () => scatterAddShader(src.dtype, rank, dim), [out, index.buffer, src.buffer, slot], params, linearWorkgroups(n));
  return out;
}

function contiguousView(shape: readonly number[]): View {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return { shape, strides, offset: 0 };
}
