import {
  COMPARISON_OPS,
  SPEC_VERSION,
  hostArray,
  isContiguous,
  numelOf,
  type AdamUpdate,
  type Backend,
  type BinaryOp,
  type DType,
  type GarbageCollector,
  type HostArray,
  type Operand,
  type ReduceOp,
  type SgdUpdate,
  type UnaryOp,
} from '@descent/backend';
import { fillBits, fromGpuWords, refuseFloat64, toGpuWords, WEBGPU_DTYPES } from './dtypes.js';
import { Executor } from './executor.js';
import { FaultLog } from './fault-log.js';
import { CLEAN, firstFailure, mergeTaints, type Taint } from './faults.js';
import * as dispatch from './kernel-dispatch.js';
import { KernelLauncher, type LaunchOperand } from './launch.js';
import { Fusion, fusionFromEnvironment } from './fusion/fusion.js';
import { binaryExpr, castExpr, unaryExpr, whereExpr, type ElementwiseExpr } from './kernels/elementwise.js';
import { matmulGridOf } from './kernels/matmul-plan.js';
import { unfoldMatmulKernel, unfoldWeightGradKernel, windowArgmaxKernel } from './window-dispatch.js';
import { gruCellBackwardKernel, gruCellKernel, lstmCellBackwardKernel, lstmCellKernel, type LstmCellBackwardArgs } from './rnn-cell-dispatch.js';
import { GpuMemory, type GpuBuffer, type MemoryStats } from './memory.js';
import { GPU_BYTES_PER_ELEMENT, MAP_MODE_READ, WGSL_TYPE } from './wgsl-types.js';
import { subgroupsFromEnvironment, subgroupsSupported, subgroupsUnsupported } from './subgroups.js';
import type { WebGPUBackendOptions } from './backend-options.js';
export type { WebGPUBackendOptions } from './backend-options.js';
export type { GpuBuffer, MemoryStats } from './memory.js';

const COMPARISONS = new Set<BinaryOp>(COMPARISON_OPS);

/**
 * The WebGPU backend: WGSL kernels on any `GPUDevice` (a browser's `navigator.gpu` or Dawn in Node). Every
 * kernel reads strided views directly; work is batched into one command encoder and submitted at sync points.
 * Memory lives in ./memory.ts, kernel compilation and encoding in ./launch.ts, and each op's dispatch in
 * ./kernel-dispatch.ts; this class ties them to the device and owns the sync points.
 *
 * Errors the GPU finds after the fact (a bad index, an int64 overflow, a batch the device rejected) fail the op's
 * output and whatever is computed from it, and are raised where one of those is read (./faults.ts); other tensors
 * read on. Each op here hands its output the taint of its inputs and of its own dispatches.
 */
export class WebGPUBackend implements Backend<GpuBuffer> {
  readonly specVersion = SPEC_VERSION;
  readonly name = 'webgpu';
  /** Every PyTorch dtype but float64 (./dtypes.ts has the policy). */
  readonly dtypes = WEBGPU_DTYPES;
  readonly device: GPUDevice;
  readonly description: string;
  readonly collector?: GarbageCollector;
  /** Whether this device can run the subgroup reductions (./subgroups.ts); `subgroups` says whether they run. */
  readonly subgroupsSupported: boolean;
  private readonly mem: GpuMemory;
  private readonly executor: Executor;
  private readonly launcher: KernelLauncher;
  private readonly kernels: dispatch.KernelContext;
  private readonly faults: FaultLog;
  /** Pending elementwise chains, encoded as one kernel when needed (./fusion/fusion.ts). */
  readonly fusion: Fusion;
  private lost: GPUDeviceLostInfo | null = null;
  private uncaptured: GPUError | null = null;

  constructor(options: WebGPUBackendOptions) {
    this.device = options.device;
    this.description = options.description ?? 'WebGPU device';
    this.faults = new FaultLog(this.device);
    this.mem = new GpuMemory(this.device, (op) => this.faults.create(op));
    if (options.gc) this.collector = { ...options.gc, collectionDue: () => this.mem.collectionDue() };
    this.executor = new Executor(this.device, this.faults, () => this.mem.pool.recycle());
    this.launcher = new KernelLauncher(this.device, this.executor, this.faults);
    this.kernels = {
      alloc: (numel, dtype) => this.alloc(numel, dtype),
      free: (buffer) => this.free(buffer),
      launch: (label, key, source, operands, params, workgroups) => this.launch(label, key, source, operands, params, workgroups),
      fault: (op, explain) => this.faults.slot(op, explain),
      matmulGrid: matmulGridOf(this.device),
      subgroups: false,
    };
    this.subgroupsSupported = subgroupsSupported(this.device, options.wgslLanguageFeatures);
    this.kernels.subgroups = this.subgroupsSupported && (options.subgroups ?? subgroupsFromEnvironment());
    const faults = this.faults;
    this.fusion = new Fusion({
      alloc: (numel, dtype) => this.alloc(numel, dtype),
      // Straight to the launcher: the stores are the pending buffers being encoded.
      launch: (label, key, source, operands, params, workgroups) => this.launcher.launch(label, key, source, operands, params, workgroups),
      faults,
      // Binding 0 is the kernel's parameters.
      maxBindings: Math.min(this.device.limits.maxStorageBuffersPerShaderStage, this.device.limits.maxDynamicStorageBuffersPerPipelineLayout) - 1,
      matmulGrid: this.kernels.matmulGrid,
    });
    this.fusion.enabled = options.fusion ?? fusionFromEnvironment();
    void this.device.lost.then((info) => {
      this.lost = info;
    });
    this.device.addEventListener('uncapturederror', (event) => {
      this.uncaptured ??= (event as GPUUncapturedErrorEvent).error;
    });
  }

  // ---- memory ----------------------------------------------------------------------------------------------

  private checkAlive(): void {
    if (this.lost) {
      throw new Error(
        `The WebGPU device was lost (${this.lost.reason}): ${this.lost.message}. Tensors on it are gone; ` +
          'create a new backend (torch.webgpu.init()) and move the data again.',
      );
    }
  }

  alloc(numel: number, dtype: DType, forUpload = false): GpuBuffer {
    this.checkAlive();
    refuseFloat64('alloc', dtype);
    return this.mem.alloc(numel, dtype, forUpload);
  }

  /**
   * Every dtype is one 32-bit word per element on the GPU (./dtypes.ts): float64 raises PyTorch's MPS-style
   * TypeError, int64 a RangeError for a value outside int32, before anything is allocated.
   */
  upload(data: HostArray, dtype: DType): GpuBuffer {
    const words = toGpuWords(data, dtype);
    const out = this.alloc(data.length, dtype, true);
    if (data.length > 0) {
      this.device.queue.writeBuffer(out.block.buffer, out.block.offset, words.buffer, words.byteOffset, data.length * GPU_BYTES_PER_ELEMENT);
    }
    return out;
  }

  free(buffer: GpuBuffer): void {
    if (buffer.released || this.lost) return;
    this.fusion.beforeFree(buffer);
    this.mem.release(buffer);
  }

  /** Returns pooled memory to the device (PyTorch's `empty_cache`), once the open batch is submitted. */
  emptyCache(): void {
    this.executor.flush();
    if (this.mem.trim()) this.executor.clearBindGroups();
  }

  memory(): MemoryStats {
    return this.mem.stats(this.executor.dispatchCount, this.executor.submitCount);
  }

  /** Destroys the device, which lets a Node process exit. Tensors on this backend are unusable afterwards. */
  destroy(): void {
    this.executor.clearBindGroups();
    this.mem.destroy();
    this.device.destroy();
  }

  // ---- sync points -----------------------------------------------------------------------------------------

  /** Raises the failure `buffer`'s values depend on (../faults.ts), once every queued kernel has written it. */
  async read(buffer: GpuBuffer, dtype: DType, numel: number): Promise<HostArray> {
    this.checkAlive();
    refuseFloat64('read', dtype);
    this.fusion.settle(buffer);
    const taint = buffer.taint; // the values as of this call: a later in-place write does not change what is read
    const known = taint.find((f) => f.failure());
    if (known) throw known.raise();
    if (numel === 0) {
      this.executor.flush();
      await this.raiseFailure(taint, this.faults.collect());
      return hostArray(dtype, 0);
    }
    const bytes = numel * GPU_BYTES_PER_ELEMENT;
    const staging = this.mem.staging.acquire(bytes);
    this.executor.copy(buffer.block.buffer, buffer.block.offset, staging, 0, bytes);
    const batch = this.executor.batchFault;
    this.executor.flush();
    const collected = this.faults.collect();
    try {
      await staging.mapAsync(MAP_MODE_READ, 0, bytes);
    } catch (error) {
      this.checkAlive();
      throw error;
    }
    const copy = this.mem.takeMapped(staging, bytes);
    await this.raiseFailure([...taint, batch], collected);
    return fromGpuWords(copy, dtype);
  }

  /** Waits for the faults of `taint` (and the fault words being `collected`) and raises the first that failed. */
  private async raiseFailure(taint: Taint, collected: Promise<void>): Promise<void> {
    await collected;
    const failed = await firstFailure(taint);
    if (failed) throw failed.raise();
  }

  /**
   * Waits for all queued work, then raises what failed in it that no read has raised yet (each failure once, at
   * the first sync after it), naming the op: a device-wide sync point, as CUDA's.
   */
  async synchronize(): Promise<void> {
    this.checkAlive();
    this.fusion.flush();
    this.executor.flush();
    const collected = this.faults.collect();
    await this.device.queue.onSubmittedWorkDone();
    await collected;
    await this.executor.settled();
    if (this.uncaptured) {
      const error = this.uncaptured;
      this.uncaptured = null;
      throw new Error(`WebGPU error: ${error.message}`);
    }
    const failed = this.faults.unreportedError();
    if (failed) throw failed;
  }

  // ---- kernels ---------------------------------------------------------------------------------------------

  /** Number of distinct pipelines compiled: keys carry op, dtypes, rank and contiguity, never sizes. */
  get pipelineCount(): number {
    return this.launcher.pipelineCount;
  }

  /** Whether reductions fold within subgroups (./kernels/subgroup-reduce.ts): false forces the shared-memory kernels. */
  get subgroups(): boolean {
    return this.kernels.subgroups;
  }

  set subgroups(on: boolean) {
    if (on && !this.subgroupsSupported) throw subgroupsUnsupported();
    this.kernels.subgroups = on;
  }

  /** Encodes one kernel (see `KernelLauncher.launch`), once the device is known to be alive. */
  private launch(
    label: string,
    key: string,
    source: () => string,
    operands: readonly LaunchOperand[],
    params: number[],
    workgroups: [number, number, number],
  ): void {
    this.checkAlive();
    // A pending operand's chain is encoded first, in the same pass.
    for (const o of operands) if (typeof o === 'object' && 'block' in o) this.fusion.settle(o);
    this.launcher.launch(label, key, source, operands, params, workgroups);
  }

  /** An elementwise op as a pending node when it can be fused, else its own kernel (`eager`). */
  private elementwise(label: string, e: ElementwiseExpr, inputs: Operand<GpuBuffer>[], dtype: DType, eager: () => GpuBuffer): GpuBuffer {
    const shape = inputs[0].view.shape;
    if (!this.fusion.fusible(e, shape, [dtype, ...inputs.map((x) => x.dtype)])) return this.produced(eager(), ...inputs);
    this.checkAlive();
    return this.produced(this.fusion.lazy(label, e, inputs, shape, dtype), ...inputs);
  }

  /**
   * An op's new output: it depends on its inputs' faults and on those its own dispatches noted (every op method ends
   * in `produced`, `wrote` or `updated`, which take them). Nothing tainted anywhere, the common case, allocates nothing.
   */
  private produced<T extends GpuBuffer | GpuBuffer[]>(out: T, ...inputs: Operand<GpuBuffer>[]): T {
    const noted = this.faults.take();
    if (noted.length === 0 && !Array.isArray(out) && out.taint.length === 0 && inputs.every((x) => x.buffer.taint.length === 0)) return out;
    const outs: GpuBuffer[] = Array.isArray(out) ? out : [out];
    for (const o of outs) o.taint = mergeTaints(...inputs.map((x) => x.buffer.taint), ...outs.map((b) => b.taint), noted);
    return out;
  }

  /** A write through `dst`'s view: it keeps its old faults unless the write covers the whole buffer. */
  private wrote(dst: Operand<GpuBuffer>, ...written: Taint[]): void {
    const whole = dst.view.offset === 0 && isContiguous(dst.view) && numelOf(dst.view.shape) === dst.buffer.numel;
    dst.buffer.taint = mergeTaints(...written, whole ? CLEAN : dst.buffer.taint, this.faults.take());
  }

  /** A fused optimizer step: the buffers it updates depend on all it read (a failed gradient fails the weights). */
  private updated(grad: GpuBuffer, states: readonly (GpuBuffer | null)[]): void {
    const written = states.filter((b): b is GpuBuffer => b !== null);
    const taint = mergeTaints(grad.taint, ...written.map((b) => b.taint), this.faults.take());
    for (const b of written) b.taint = taint;
  }

  unary(op: UnaryOp, x: Operand<GpuBuffer>): GpuBuffer {
    const dtype = op === 'logicalNot' ? 'bool' : x.dtype;
    return this.elementwise(op, unaryExpr(op, x.dtype), [x], dtype, () => dispatch.unaryKernel(this.kernels, op, x));
  }

  binary(op: BinaryOp, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    const dtype = COMPARISONS.has(op) ? 'bool' : a.dtype;
    return this.elementwise(op, binaryExpr(op, a.dtype, dtype), [a, b], dtype, () => dispatch.binaryKernel(this.kernels, op, a, b));
  }

  where(cond: Operand<GpuBuffer>, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    return this.elementwise('where', whereExpr(a.dtype), [cond, a, b], a.dtype, () => dispatch.whereKernel(this.kernels, cond, a, b));
  }

  cast(x: Operand<GpuBuffer>, dtype: DType): GpuBuffer {
    return this.elementwise('cast', castExpr(x.dtype, dtype), [x], dtype, () => dispatch.castKernel(this.kernels, x, dtype));
  }

  /** A pending source is stored straight into `dst` by its fused kernel; otherwise a copy kernel. */
  copy(src: Operand<GpuBuffer>, dst: Operand<GpuBuffer>): void {
    if (!this.fusion.copyInto(src, dst)) {
      this.fusion.beforeWrite(dst.buffer);
      dispatch.copyKernel(this.kernels, src, dst);
    }
    this.wrote(dst, src.buffer.taint);
  }

  fill(out: Operand<GpuBuffer>, value: number | bigint): void {
    if (!this.fusion.fill(out, fillBits(out.dtype, value), WGSL_TYPE[out.dtype])) {
      this.fusion.beforeWrite(out.buffer);
      dispatch.fillKernel(this.kernels, out, value);
    }
    this.wrote(out);
  }

  reduce(op: ReduceOp, x: Operand<GpuBuffer>, reducedDims: number): GpuBuffer {
    return this.produced(dispatch.reduceKernel(this.kernels, op, x, reducedDims), x);
  }

  matmul(a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    return this.produced(this.fusion.matmul(a, b) ?? dispatch.matmulKernel(this.kernels, a, b), a, b);
  }

  gather(x: Operand<GpuBuffer>, dim: number, index: Operand<GpuBuffer>): GpuBuffer {
    return this.produced(dispatch.gatherKernel(this.kernels, x, dim, index), x, index);
  }

  /** Max pooling's winners in one pass: ./kernels/windows.ts. */
  windowArgmax(x: Operand<GpuBuffer>, index: Operand<GpuBuffer>, window: number): GpuBuffer {
    return this.produced(windowArgmaxKernel(this.kernels, x, index, window), x, index);
  }

  /** A convolution's product with its window reads gathered in the kernel (no im2col columns in memory). */
  unfoldMatmul(weight: Operand<GpuBuffer>, x: Operand<GpuBuffer>, index: Operand<GpuBuffer>, bias: Operand<GpuBuffer> | null): GpuBuffer {
    const operands = bias ? [weight, x, index, bias] : [weight, x, index];
    return this.produced(unfoldMatmulKernel(this.kernels, weight, x, index, bias), ...operands);
  }

  /** Its weight gradient, summed over samples and positions in one kernel. */
  unfoldMatmulWeightGrad(grad: Operand<GpuBuffer>, x: Operand<GpuBuffer>, index: Operand<GpuBuffer>): GpuBuffer {
    return this.produced(unfoldWeightGradKernel(this.kernels, grad, x, index), grad, x, index);
  }

  /** PyTorch's fused recurrent cells, one kernel each (./kernels/rnn-cells.ts); every output shares the op's faults. */
  lstmCell(inputGates: Operand<GpuBuffer>, hiddenGates: Operand<GpuBuffer>, cx: Operand<GpuBuffer>): [GpuBuffer, GpuBuffer, GpuBuffer] {
    return this.produced(lstmCellKernel(this.kernels, inputGates, hiddenGates, cx), inputGates, hiddenGates, cx);
  }

  lstmCellBackward(...args: LstmCellBackwardArgs): [GpuBuffer, GpuBuffer] {
    const read = args.filter((x): x is Operand<GpuBuffer> => x !== null);
    return this.produced(lstmCellBackwardKernel(this.kernels, ...args), ...read);
  }

  gruCell(inputGates: Operand<GpuBuffer>, hiddenGates: Operand<GpuBuffer>, hx: Operand<GpuBuffer>): [GpuBuffer, GpuBuffer] {
    return this.produced(gruCellKernel(this.kernels, inputGates, hiddenGates, hx), inputGates, hiddenGates, hx);
  }

  gruCellBackward(gradHy: Operand<GpuBuffer>, workspace: Operand<GpuBuffer>): [GpuBuffer, GpuBuffer, GpuBuffer] {
    return this.produced(gruCellBackwardKernel(this.kernels, gradHy, workspace), gradHy, workspace);
  }

  softmax(x: Operand<GpuBuffer>, log: boolean): GpuBuffer {
    return this.produced(dispatch.softmaxKernel(this.kernels, x, log), x);
  }

  crossEntropy(logits: Operand<GpuBuffer>, target: Operand<GpuBuffer>): GpuBuffer {
    return this.produced(dispatch.crossEntropyKernel(this.kernels, logits, target), logits, target);
  }

  sgdUpdate(param: GpuBuffer, grad: GpuBuffer, momentumBuffer: GpuBuffer | null, numel: number, h: SgdUpdate): void {
    for (const b of [param, momentumBuffer]) if (b) this.fusion.beforeWrite(b);
    dispatch.sgdUpdateKernel(this.kernels, param, grad, momentumBuffer, numel, h);
    this.updated(grad, [param, momentumBuffer]);
  }

  adamUpdate(
    param: GpuBuffer,
    grad: GpuBuffer,
    expAvg: GpuBuffer,
    expAvgSq: GpuBuffer,
    maxExpAvgSq: GpuBuffer | null,
    numel: number,
    h: AdamUpdate,
  ): void {
    for (const b of [param, expAvg, expAvgSq, maxExpAvgSq]) if (b) this.fusion.beforeWrite(b);
    dispatch.adamUpdateKernel(this.kernels, param, grad, expAvg, expAvgSq, maxExpAvgSq, numel, h);
    this.updated(grad, [param, expAvg, expAvgSq, maxExpAvgSq]);
  }

  scatterAdd(shape: readonly number[], dim: number, index: Operand<GpuBuffer>, src: Operand<GpuBuffer>): GpuBuffer {
    return this.produced(dispatch.scatterAddKernel(this.kernels, shape, dim, index, src), index, src);
  }
}

/** Wraps a `GPUDevice` (from `navigator.gpu` in a browser, or Dawn in Node) as a Descent backend. */
export function createWebGPUBackend(options: WebGPUBackendOptions): WebGPUBackend {
  return new WebGPUBackend(options);
}
