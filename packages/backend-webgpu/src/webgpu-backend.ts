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
  type AdamUpdate,
  type ReduceOp,
  type SgdUpdate,
  type UnaryOp,
  type View,
} from '@descent/backend';
import { BlockAllocator, type Block } from './block-allocator.js';
import { BufferPool } from './buffer-pool.js';
import { Layouts, adaptSource, type Binding, type Kernel } from './kernel-layout.js';
import { Executor } from './executor.js';
import { binaryShader, castShader, copyShader, fillShader, unaryShader, whereShader } from './kernels/elementwise.js';
import { adamShader, crossEntropyShader, sgdShader, softmaxShader } from './kernels/fused.js';
import { gatherShader, scatterAddShader } from './kernels/gather.js';
import { linearWorkgroups } from './kernels/indexing.js';
import { MATMUL_TILE, matmulShader } from './kernels/matmul.js';
import { reduceShader } from './kernels/reduce.js';
import { BUFFER_USAGE, GPU_BYTES_PER_ELEMENT, MAP_MODE_READ } from './wgsl-types.js';

/** A tensor's memory on the GPU: a block of a slab holding `numel` elements of `dtype` (bool as u32). */
export interface GpuBuffer {
  readonly block: Block;
  readonly numel: number;
  readonly dtype: DType;
  released: boolean;
}

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

const GC_FLOOR = 256 << 20;
const NO_ALIASES: ReadonlyMap<number, number> = new Map();

export interface MemoryStats {
  /** Bytes held by live tensors. */
  allocatedBytes: number;
  /** Bytes pooled for reuse. */
  pooledBytes: number;
  /** GPU memory reserved in slabs and dedicated buffers (what the process holds on the device). */
  reservedBytes: number;
  buffersCreated: number;
  dispatches: number;
  submits: number;
}

const COMPARISONS = new Set<BinaryOp>(COMPARISON_OPS);
const STORAGE = BUFFER_USAGE.STORAGE | BUFFER_USAGE.COPY_SRC | BUFFER_USAGE.COPY_DST;

/**
 * The WebGPU backend: WGSL kernels on any `GPUDevice` (a browser's `navigator.gpu` or Dawn in Node). Every
 * kernel reads strided views directly; work is batched into one command encoder and submitted at sync points.
 */
export class WebGPUBackend implements Backend<GpuBuffer> {
  readonly specVersion = SPEC_VERSION;
  readonly name = 'webgpu';
  readonly device: GPUDevice;
  readonly description: string;
  private readonly pool: BlockAllocator;
  private readonly staging: BufferPool;
  private readonly executor: Executor;
  private readonly pipelines = new Map<string, Kernel>();
  private readonly layouts: Layouts;
  private readonly status: GPUBuffer;
  private statusDirty = false;
  private lost: GPUDeviceLostInfo | null = null;
  private readonly collectGarbage: (() => void) | null;
  private gcThreshold = GC_FLOOR;
  private uncaptured: GPUError | null = null;

  constructor(options: WebGPUBackendOptions) {
    this.device = options.device;
    this.description = options.description ?? 'WebGPU device';
    this.collectGarbage = options.collectGarbage ?? null;
    this.pool = new BlockAllocator(this.device, STORAGE);
    this.staging = new BufferPool(this.device, BUFFER_USAGE.MAP_READ | BUFFER_USAGE.COPY_DST);
    this.executor = new Executor(this.device, () => {
      this.pool.recycle();
    });
    this.status = this.device.createBuffer({ size: 16, usage: STORAGE });
    this.layouts = new Layouts(this.device);
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
    const block = this.pool.acquire(Math.max(numel, 1) * GPU_BYTES_PER_ELEMENT, forUpload);
    if (this.collectGarbage && this.pool.allocatedBytes > this.gcThreshold) {
      this.collectGarbage();
      this.gcThreshold = Math.max(GC_FLOOR, this.pool.allocatedBytes * 2);
    }
    return { block, numel, dtype, released: false };
  }

  upload(data: HostArray, dtype: DType): GpuBuffer {
    const out = this.alloc(data.length, dtype, true);
    if (data.length > 0) {
      // bool is one byte per element on the host and a u32 on the GPU.
      const words = dtype === 'bool' ? Uint32Array.from(data) : data;
      this.device.queue.writeBuffer(out.block.buffer, out.block.offset, words.buffer, words.byteOffset, data.length * GPU_BYTES_PER_ELEMENT);
    }
    return out;
  }

  free(buffer: GpuBuffer): void {
    if (buffer.released || this.lost) return;
    buffer.released = true;
    this.pool.release(buffer.block);
    if (this.pool.allocatedBytes < this.gcThreshold / 4) this.gcThreshold = Math.max(GC_FLOOR, this.pool.allocatedBytes * 2);
  }

  memory(): MemoryStats {
    return {
      allocatedBytes: this.pool.allocatedBytes,
      pooledBytes: this.pool.pooledBytes,
      reservedBytes: this.pool.reservedBytes,
      buffersCreated: this.pool.buffersCreated,
      dispatches: this.executor.dispatchCount,
      submits: this.executor.submitCount,
    };
  }

  /** Destroys the device, which lets a Node process exit. Tensors on this backend are unusable afterwards. */
  destroy(): void {
    this.executor.clearBindGroups();
    this.pool.destroy();
    this.staging.trim();
    this.device.destroy();
  }

  // ---- sync points -----------------------------------------------------------------------------------------

  async read(buffer: GpuBuffer, dtype: DType, numel: number): Promise<HostArray> {
    this.checkAlive();
    const bytes = numel * GPU_BYTES_PER_ELEMENT;
    if (numel === 0) {
      await this.synchronize();
      return hostArray(dtype, 0);
    }
    const staging = this.staging.acquire(bytes);
    this.executor.copy(buffer.block.buffer, buffer.block.offset, staging, 0, bytes);
    this.executor.flush();
    try {
      await staging.mapAsync(MAP_MODE_READ, 0, bytes);
    } catch (error) {
      this.checkAlive();
      throw error;
    }
    const copy = new Uint8Array(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    this.staging.release(staging);
    this.staging.recycle();
    await this.checkErrors();
    if (dtype === 'float32') return new Float32Array(copy.buffer);
    if (dtype === 'int32') return new Int32Array(copy.buffer);
    return Uint8Array.from(new Uint32Array(copy.buffer));
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
      const staging = this.staging.acquire(4);
      const encoder = this.device.createCommandEncoder();
      encoder.copyBufferToBuffer(this.status, 0, staging, 0, 4);
      encoder.clearBuffer(this.status, 0, 16);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(MAP_MODE_READ, 0, 4);
      const code = new Uint32Array(staging.getMappedRange(0, 4).slice(0))[0];
      staging.unmap();
      this.staging.release(staging);
      this.staging.recycle();
      if (code === 1) throw new Error('gather/scatterAdd: an index was out of range for the indexed dimension');
      if (code !== 0) throw new Error('crossEntropy: a target class index was out of range [0, classes)');
    }
  }

  // ---- kernels ---------------------------------------------------------------------------------------------

  /** The compiled kernel for `key`, adapted to its bindings (see `adaptSource`). */
  private pipeline(key: string, signature: string, aliases: ReadonlyMap<number, number>, source: () => string): Kernel {
    let kernel = this.pipelines.get(key);
    if (!kernel) {
      // Compilation errors are reported at the next sync with the kernel's key, like any kernel error.
      this.device.pushErrorScope('validation');
      const dynamic = this.layouts.dynamicFor(signature);
      const layout = this.layouts.get(signature, dynamic);
      const module = this.device.createShaderModule({ code: adaptSource(source(), aliases), label: key });
      const pipeline = this.device.createComputePipeline({
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
        compute: { module, entryPoint: 'main' },
        label: key,
      });
      this.executor.track(this.device.popErrorScope(), [key]);
      kernel = { pipeline, layout, signature, dynamic };
      this.pipelines.set(key, kernel);
    }
    return kernel;
  }

  /** Number of distinct pipelines compiled: keys carry op, dtypes, rank and contiguity, never sizes. */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /**
   * Encodes one kernel. `operands` are its storage bindings in shader order (binding 1, 2, ...): tensor blocks,
   * or 'status' for the error word. A block bound twice is bound once and aliased in the shader.
   */
  private launch(
    label: string,
    key: string,
    source: () => string,
    operands: readonly (GpuBuffer | 'status')[],
    params: number[],
    workgroups: [number, number, number],
  ): void {
    this.checkAlive();
    // Hot path (once per op): plain loops, and an alias map only in the rare case of a block bound twice.
    const bindings: Binding[] = [];
    const boundAt: number[] = [];
    let aliases: Map<number, number> | null = null;
    let signature = '';
    for (let i = 0; i < operands.length; i++) {
      const operand = operands[i];
      if (operand === 'status') {
        bindings.push({ buffer: this.status, offset: 0, size: 16 });
        boundAt.push(i + 1);
        signature += 's';
        continue;
      }
      const seen = bindings.indexOf(operand.block);
      if (seen >= 0) {
        (aliases ??= new Map()).set(i + 1, boundAt[seen]);
        continue;
      }
      bindings.push(operand.block);
      boundAt.push(i + 1);
      signature += 't';
    }
    const aliasKey = aliases ? `|${[...aliases].map(([a, b]) => `${a}=${b}`).join(',')}` : '';
    const kernel = this.pipeline(`${key}${aliasKey}`, signature, aliases ?? NO_ALIASES, source);
    this.executor.dispatch({ kernel, bindings, params, workgroups, label });
  }

  private elementwise(label: string, key: string, source: () => string, out: GpuBuffer, inputs: Operand<GpuBuffer>[]): GpuBuffer {
    const shape = inputs[0].view.shape;
    const n = numelOf(shape);
    if (n === 0) return out;
    const params = [n, ...shape];
    for (const x of inputs) params.push(x.view.offset, ...x.view.strides);
    this.launch(label, key, source, [out, ...inputs.map((x) => x.buffer)], params, linearWorkgroups(n));
    return out;
  }

  unary(op: UnaryOp, x: Operand<GpuBuffer>): GpuBuffer {
    const shape = { rank: x.view.shape.length, contiguous: [isContiguous(x.view)] };
    const out = this.alloc(numelOf(x.view.shape), op === 'logicalNot' ? 'bool' : x.dtype);
    const key = `unary:${op}:${x.dtype}:${shape.rank}:${shape.contiguous}`;
    return this.elementwise(op, key, () => unaryShader(op, x.dtype, shape), out, [x]);
  }

  binary(op: BinaryOp, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    const outDtype: DType = COMPARISONS.has(op) ? 'bool' : a.dtype;
    const shape = { rank: a.view.shape.length, contiguous: [isContiguous(a.view), isContiguous(b.view)] };
    const out = this.alloc(numelOf(a.view.shape), outDtype);
    const key = `binary:${op}:${a.dtype}:${shape.rank}:${shape.contiguous}`;
    return this.elementwise(op, key, () => binaryShader(op, a.dtype, outDtype, shape), out, [a, b]);
  }

  where(cond: Operand<GpuBuffer>, a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    const shape = { rank: a.view.shape.length, contiguous: [cond, a, b].map((x) => isContiguous(x.view)) };
    const out = this.alloc(numelOf(a.view.shape), a.dtype);
    const key = `where:${a.dtype}:${shape.rank}:${shape.contiguous}`;
    return this.elementwise('where', key, () => whereShader(a.dtype, shape), out, [cond, a, b]);
  }

  cast(x: Operand<GpuBuffer>, dtype: DType): GpuBuffer {
    const shape = { rank: x.view.shape.length, contiguous: [isContiguous(x.view)] };
    const out = this.alloc(numelOf(x.view.shape), dtype);
    const key = `cast:${x.dtype}:${dtype}:${shape.rank}:${shape.contiguous}`;
    return this.elementwise('cast', key, () => castShader(x.dtype, dtype, shape), out, [x]);
  }

  copy(src: Operand<GpuBuffer>, dst: Operand<GpuBuffer>): void {
    const n = numelOf(dst.view.shape);
    if (n === 0) return;
    // A buffer cannot be bound for reading and writing in one dispatch: stage overlapping copies.
    let source = src;
    if (src.buffer.block === dst.buffer.block) {
      const staged = this.alloc(n, src.dtype);
      this.copy(src, { buffer: staged, view: contiguousView(src.view.shape), dtype: src.dtype });
      source = { buffer: staged, view: contiguousView(src.view.shape), dtype: src.dtype };
      this.free(staged);
    }
    const rank = dst.view.shape.length;
    const sc = isContiguous(source.view);
    const dc = isContiguous(dst.view);
    const key = `copy:${dst.dtype}:${rank}:${sc}:${dc}`;
    const params = [n, ...dst.view.shape, source.view.offset, ...source.view.strides, dst.view.offset, ...dst.view.strides];
    this.launch('copy', key, () => copyShader(dst.dtype, rank, sc, dc), [dst.buffer, source.buffer], params, linearWorkgroups(n));
  }

  fill(out: Operand<GpuBuffer>, value: number): void {
    const n = numelOf(out.view.shape);
    if (n === 0) return;
    const rank = out.view.shape.length;
    const contiguous = isContiguous(out.view);
    const bits = new Uint32Array(1);
    if (out.dtype === 'float32') new Float32Array(bits.buffer)[0] = value;
    else if (out.dtype === 'int32') new Int32Array(bits.buffer)[0] = value;
    else bits[0] = value ? 1 : 0;
    const params = [n, ...out.view.shape, out.view.offset, ...out.view.strides, bits[0]];
    const key = `fill:${out.dtype}:${rank}:${contiguous}`;
    this.launch('fill', key, () => fillShader(out.dtype, rank, contiguous), [out.buffer], params, linearWorkgroups(n));
  }

  reduce(op: ReduceOp, x: Operand<GpuBuffer>, reducedDims: number): GpuBuffer {
    const shape = x.view.shape;
    const rank = shape.length;
    const outputs = numelOf(shape.slice(0, rank - reducedDims));
    const perOutput = numelOf(shape.slice(rank - reducedDims));
    const outDtype: DType = op === 'argmax' || op === 'argmin' ? 'int32' : x.dtype;
    const out = this.alloc(outputs, outDtype);
    if (outputs === 0) return out;
    // Long axes: a workgroup per output with a tree reduction; short ones: a thread per output.
    const perWorkgroup = perOutput >= 256 && outputs < 4096;
    const key = `reduce:${op}:${x.dtype}:${rank}:${reducedDims}:${perWorkgroup}`;
    const params = [outputs, perOutput, x.view.offset, ...shape, ...x.view.strides];
    const workgroups = perWorkgroup ? linearWorkgroups(outputs, 1) : linearWorkgroups(outputs);
    this.launch(op, key, () => reduceShader(op, x.dtype, rank, reducedDims, perWorkgroup), [out, x.buffer], params, workgroups);
    return out;
  }

  matmul(a: Operand<GpuBuffer>, b: Operand<GpuBuffer>): GpuBuffer {
    const [batch, m, k] = a.view.shape;
    const n = b.view.shape[2];
    const out = this.alloc(batch * m * n, a.dtype);
    if (batch * m * n === 0) return out;
    if (k === 0) {
      this.fill({ buffer: out, view: contiguousView([batch * m * n]), dtype: a.dtype }, 0);
      return out;
    }
    const [ab, ar, ac] = a.view.strides;
    const [bb, br, bc] = b.view.strides;
    const params = [m, n, k, a.view.offset, ab, ar, ac, b.view.offset, bb, br, bc];
    const workgroups: [number, number, number] = [Math.ceil(n / MATMUL_TILE), Math.ceil(m / MATMUL_TILE), batch];
    this.launch('matmul', `matmul:${a.dtype}`, () => matmulShader(a.dtype), [out, a.buffer, b.buffer], params, workgroups);
    return out;
  }

  gather(x: Operand<GpuBuffer>, dim: number, index: Operand<GpuBuffer>): GpuBuffer {
    const shape = index.view.shape;
    const n = numelOf(shape);
    const out = this.alloc(n, x.dtype);
    if (n === 0) return out;
    const rank = shape.length;
    const params = [n, x.view.shape[dim], ...shape, index.view.offset, ...index.view.strides, x.view.offset, ...x.view.strides];
    const key = `gather:${x.dtype}:${rank}:${dim}`;
    this.launch('gather', key, () => gatherShader(x.dtype, rank, dim), [out, x.buffer, index.buffer, 'status'], params, linearWorkgroups(n));
    this.statusDirty = true;
    return out;
  }

  softmax(x: Operand<GpuBuffer>, log: boolean): GpuBuffer {
    const shape = x.view.shape;
    const rank = shape.length;
    const length = shape[rank - 1];
    const rows = numelOf(shape.slice(0, -1));
    const out = this.alloc(rows * length, 'float32');
    if (rows * length === 0) return out;
    const params = [rows, length, x.view.offset, ...shape, ...x.view.strides];
    const key = `softmax:${log}:${rank}`;
    this.launch(log ? 'logSoftmax' : 'softmax', key, () => softmaxShader(rank, log), [out, x.buffer], params, linearWorkgroups(rows, 1));
    return out;
  }

  crossEntropy(logits: Operand<GpuBuffer>, target: Operand<GpuBuffer>): GpuBuffer {
    const [rows, classes] = logits.view.shape;
    const out = this.alloc(rows, 'float32');
    if (rows === 0) return out;
    const params = [rows, classes, logits.view.offset, rows, classes, ...logits.view.strides, target.view.offset, target.view.strides[0]];
    this.launch('crossEntropy', 'crossEntropy', crossEntropyShader, [out, logits.buffer, target.buffer, 'status'], params, linearWorkgroups(rows, 1));
    this.statusDirty = true;
    return out;
  }

  sgdUpdate(param: GpuBuffer, grad: GpuBuffer, momentumBuffer: GpuBuffer | null, numel: number, h: SgdUpdate): void {
    if (numel === 0) return;
    const flags = [h.nesterov, h.maximize, h.firstStep, momentumBuffer !== null].map(Number);
    const params = [numel, f32Bits(h.lr), f32Bits(h.momentum), f32Bits(h.dampening), f32Bits(h.weightDecay), ...flags];
    this.launch('sgd', 'sgd', sgdShader, [param, grad, momentumBuffer ?? grad], params, linearWorkgroups(numel));
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
    if (numel === 0) return;
    const stepSize = h.lr / (1 - h.beta1 ** h.step);
    const bc2Sqrt = Math.sqrt(1 - h.beta2 ** h.step);
    const params = [
      numel,
      ...[h.lr, h.beta1, h.beta2, h.eps, h.weightDecay, stepSize, bc2Sqrt].map(f32Bits),
      ...[h.decoupled, h.amsgrad, h.maximize].map(Number),
    ];
    this.launch('adam', 'adam', adamShader, [param, grad, expAvg, expAvgSq, maxExpAvgSq ?? expAvgSq], params, linearWorkgroups(numel));
  }

  scatterAdd(shape: readonly number[], dim: number, index: Operand<GpuBuffer>, src: Operand<GpuBuffer>): GpuBuffer {
    const n = numelOf(shape);
    const out = this.alloc(n, src.dtype);
    if (n === 0) return out;
    const rank = shape.length;
    const params = [n, ...shape, ...index.view.shape, index.view.offset, ...index.view.strides, src.view.offset, ...src.view.strides];
    const key = `scatterAdd:${src.dtype}:${rank}:${dim}`;
    this.launch('scatterAdd', key, () => scatterAddShader(src.dtype, rank, dim), [out, index.buffer, src.buffer, 'status'], params, linearWorkgroups(n));
    this.statusDirty = true;
    return out;
  }
}

/** The bits of a float32, for kernel parameters (which are u32 words). */
function f32Bits(x: number): number {
  F32[0] = x;
  return U32[0];
}
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

function contiguousView(shape: readonly number[]): View {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return { shape, strides, offset: 0 };
}

/**
 * The limits the kernels need, raised from the defaults up to what the adapter allows: big buffers, 256-wide
 * workgroups (compatibility adapters default to 128), enough storage bindings, and a dynamic offset per tensor
 * binding so bind groups can be reused.
 */
export function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 8),
    maxDynamicStorageBuffersPerPipelineLayout: Math.min(l.maxDynamicStorageBuffersPerPipelineLayout, 8),
    maxComputeWorkgroupSizeX: Math.min(l.maxComputeWorkgroupSizeX, 256),
    maxComputeInvocationsPerWorkgroup: Math.min(l.maxComputeInvocationsPerWorkgroup, 256),
    maxComputeWorkgroupStorageSize: Math.min(l.maxComputeWorkgroupStorageSize, 16384),
  };
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
