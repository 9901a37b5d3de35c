import {
  SPEC_VERSION,
  hostArray,
  type AdamUpdate,
  type Backend,
  type BinaryOp,
  type DType,
  type HostArray,
  type Operand,
  type ReduceOp,
  type SgdUpdate,
  type UnaryOp,
} from '@descent/backend';
import { fromGpuWords, refuseFloat64, toGpuWords, WEBGPU_DTYPES } from './dtypes.js';
import { Executor } from './executor.js';
import {
  adamUpdateKernel,
  binaryKernel,
  castKernel,
  copyKernel,
  crossEntropyKernel,
  fillKernel,
  gatherKernel,
  matmulKernel,
  reduceKernel,
  scatterAddKernel,
  sgdUpdateKernel,
  softmaxKernel,
  unaryKernel,
  whereKernel,
  type KernelContext,
} from './kernel-dispatch.js';
import { KernelLauncher, type LaunchOperand } from './launch.js';
import { requiredLimits } from './limits.js';
import { GpuMemory, STORAGE, type GpuBuffer, type MemoryStats } from './memory.js';
import { GPU_BYTES_PER_ELEMENT, MAP_MODE_READ } from './wgsl-types.js';

export { requiredLimits } from './limits.js';
export type { GpuBuffer, MemoryStats } from './memory.js';

export interface WebGPUBackendOptions {
  device: GPUDevice;
  /** What created the device, for `info()` (e.g. the adapter's backend). */
  description?: string;
  /**
   * Forces a JS garbage collection (Node can expose one). Tensors are freed when the garbage collector finds them
   * unreachable, but it only runs on JS heap pressure, which a GPU loop barely makes: past a high-water mark of
   * GPU memory the backend asks for a collection, and the buffers come back at the loop's next await.
   */
  collectGarbage?: () => void;
}

/**
 * The WebGPU backend: WGSL kernels on any `GPUDevice` (a browser's `navigator.gpu` or Dawn in Node). Every
 * kernel reads strided views directly; work is batched into one command encoder and submitted at sync points.
 * Memory lives in ./memory.ts, kernel compilation and encoding in ./launch.ts, and each op's dispatch in
 * ./kernel-dispatch.ts; this class ties them to the device and owns the sync points.
 */
export class WebGPUBackend implements Backend<GpuBuffer> {
  readonly specVersion = SPEC_VERSION;
  readonly name = 'webgpu';
  /** Every PyTorch dtype but float64 (./dtypes.ts has the policy). */
  readonly dtypes = WEBGPU_DTYPES;
  readonly device: GPUDevice;
  readonly description: string;
  private readonly mem: GpuMemory;
  private readonly executor: Executor;
  private readonly launcher: KernelLauncher;
  private readonly kernels: KernelContext;
  private readonly status: GPUBuffer;
  private statusDirty = false;
  /** The int64 ops checked for overflow since the last sync point, for the error that names them. */
  private readonly overflowChecked = new Set<string>();
  private lost: GPUDeviceLostInfo | null = null;
  private uncaptured: GPUError | null = null;

  constructor(options: WebGPUBackendOptions) {
    this.device = options.device;
    this.description = options.description ?? 'WebGPU device';
    this.mem = new GpuMemory(this.device, options.collectGarbage ?? null);
    this.executor = new Executor(this.device, () => {
      this.mem.pool.recycle();
    });
    this.status = this.device.createBuffer({ size: 16, usage: STORAGE });
    this.launcher = new KernelLauncher(this.device, this.executor, this.status);
    this.kernels = {
      alloc: (numel, dtype) => this.alloc(numel, dtype),
      free: (buffer) => this.free(buffer),
      launch: (label, key, source, operands, params, workgroups) => this.launch(label, key, source, operands, params, workgroups),
      markStatus: () => {
        this.statusDirty = true;
      },
      markOverflowCheck: (op) => {
        this.statusDirty = true;
        this.overflowChecked.add(op);
      },
    };
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
    this.mem.release(buffer);
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

  async read(buffer: GpuBuffer, dtype: DType, numel: number): Promise<HostArray> {
    this.checkAlive();
    refuseFloat64('read', dtype);
    const bytes = numel * GPU_BYTES_PER_ELEMENT;
    if (numel === 0) {
      await this.synchronize();
      return hostArray(dtype, 0);
    }
    const staging = this.mem.staging.acquire(bytes);
    this.executor.copy(buffer.block.buffer, buffer.block.offset, staging, 0, bytes);
    this.executor.flush();
    try {
      await staging.mapAsync(MAP_MODE_READ, 0, bytes);
    } catch (error) {
      this.checkAlive();
      throw error;
    }
    const copy = this.mem.takeMapped(staging, bytes);
    await this.checkErrors();
    return fromGpuWords(copy, dtype);
  }

  async synchronize(): Promise<void> {
    this.checkAlive();
    this.executor.flush();
    await this.device.queue.onSubmittedWorkDone();
    await this.checkErrors();
  }

  /** Raises, at a sync point, what went wrong in kernels since the last one. */
  private async checkErrors(): Promise<void> {
    await this.executor.takeErrors();
    if (this.uncaptured) {
      const error = this.uncaptured;
      this.uncaptured = null;
      throw new Error(`WebGPU error: ${error.message}`);
    }
    if (this.statusDirty) {
      this.statusDirty = false;
      const checked = [...this.overflowChecked].join(', ');
      this.overflowChecked.clear();
      const staging = this.mem.staging.acquire(8);
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(this.status, 0, staging, 0, 8);
      encoder.clearBuffer(this.status, 0, 16);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(MAP_MODE_READ, 0, 8);
      const [code, overflow] = new Uint32Array(this.mem.takeMapped(staging, 8).buffer);
      if (code === 1) throw new Error('gather/scatterAdd: an index was out of range for the indexed dimension');
      if (code !== 0) throw new Error('crossEntropy: a target class index was out of range [0, classes)');
      if (overflow !== 0) throw int64OverflowError(checked);
    }
  }

  // ---- kernels ---------------------------------------------------------------------------------------------

  /** Number of distinct pipelines compiled: keys carry op, dtypes, rank and contiguity, never sizes. */
  get pipelineCount(): number {
    return this.launcher.pipelineCount;
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
    this.launcher.launch(label, key, source, operands, params, workgroups);
  }

  unary(op: UnaryOp, x: Operand<GpuBuffer>): GpuBuffer {
    return unaryKernel(this.kernels, op, x);
  }

  binary(op: BinaryOp, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    return binaryKernel(this.kernels, op, a, b);
  }

  where(cond: Operand<GpuBuffer>, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    return whereKernel(this.kernels, cond, a, b);
  }

  cast(x: Operand<GpuBuffer>, dtype: DType): GpuBuffer {
    return castKernel(this.kernels, x, dtype);
  }

  copy(src: Operand<GpuBuffer>, dst: Operand<GpuBuffer>): void {
    copyKernel(this.kernels, src, dst);
  }

  fill(out: Operand<GpuBuffer>, value: number | bigint): void {
    fillKernel(this.kernels, out, value);
  }

  reduce(op: ReduceOp, x: Operand<GpuBuffer>, reducedDims: number): GpuBuffer {
    return reduceKernel(this.kernels, op, x, reducedDims);
  }

  matmul(a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    return matmulKernel(this.kernels, a, b);
  }

  gather(x: Operand<GpuBuffer>, dim: number, index: Operand<GpuBuffer>): GpuBuffer {
    return gatherKernel(this.kernels, x, dim, index);
  }

  softmax(x: Operand<GpuBuffer>, log: boolean): GpuBuffer {
    return softmaxKernel(this.kernels, x, log);
  }

  crossEntropy(logits: Operand<GpuBuffer>, target: Operand<GpuBuffer>): GpuBuffer {
    return crossEntropyKernel(this.kernels, logits, target);
  }

  sgdUpdate(param: GpuBuffer, grad: GpuBuffer, momentumBuffer: GpuBuffer | null, numel: number, h: SgdUpdate): void {
    sgdUpdateKernel(this.kernels, param, grad, momentumBuffer, numel, h);
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
    adamUpdateKernel(this.kernels, param, grad, expAvg, expAvgSq, maxExpAvgSq, numel, h);
  }

  scatterAdd(shape: readonly number[], dim: number, index: Operand<GpuBuffer>, src: Operand<GpuBuffer>): GpuBuffer {
    return scatterAddKernel(this.kernels, shape, dim, index, src);
  }
}

/**
 * Raised at the sync point after an int64 result left int32 (see ./kernels/int64.ts): PyTorch's int64 would hold
 * it, WebGPU's 32-bit storage wrapped it, and the backend will not hand out the wrapped value.
 */
function int64OverflowError(ops: string): RangeError {
  return new RangeError(
    `int64 overflow on the WebGPU device: a result of ${ops || 'an int64 kernel'} (run since the last read) is outside ` +
      '-2147483648..2147483647 (or a NaN or huge float was converted to int64). WebGPU stores int64 as 32-bit ' +
      "integers, where PyTorch's int64 would hold the value; rather than return wrapped values, the backend raises. " +
      'Keep int64 tensors whose values can leave int32 on the CPU, or compute in float32.',
  );
}

/** Wraps a `GPUDevice` (from `navigator.gpu` in a browser, or Dawn in Node) as a Descent backend. */
export function createWebGPUBackend(options: WebGPUBackendOptions): WebGPUBackend {
  return new WebGPUBackend(options);
}

/** Requests an adapter and device from a `GPU` object (`navigator.gpu` in a browser) and wraps it. */
export async function requestWebGPUBackend(gpu: GPU, options: GPURequestAdapterOptions = {}): Promise<WebGPUBackend> {
  const adapter = await gpu.requestAdapter(options);
  if (!adapter) {
    throw new Error('WebGPU is available but no adapter was found (navigator.gpu.requestAdapter() returned null).');
  }
  const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter) });
  const info = adapter.info;
  return createWebGPUBackend({ device, description: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'WebGPU adapter' });
}
